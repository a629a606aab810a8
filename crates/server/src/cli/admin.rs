//! The administration commands: tenants, employees, groups, settings.

use vitrina_store::{Db, Tenant};

use super::{
    Command, EmployeeCommand, GroupCommand, PasswordSource, SettingsCommand, TenantCommand,
};
use crate::bootstrap::StorageConfig;
use crate::domain::access::Actor;
use crate::domain::employees::{self, NewEmployeeInput};
use crate::domain::{groups, password, settings, tenants};

/// Runs one administration command and prints its result on standard output.
pub async fn run(storage: &StorageConfig, command: &Command) -> anyhow::Result<()> {
    let db = storage.open().await?.db;
    let result = match command {
        Command::Tenant(command) => tenant(&db, command).await,
        Command::Employee(command) => employee(&db, command).await,
        Command::Group(command) => group(&db, command).await,
        Command::Settings(command) => setting(&db, command).await,
        Command::Serve(_)
        | Command::Import { .. }
        | Command::Exchange(_)
        | Command::Catalog(_)
        | Command::Alerts(_) => {
            unreachable!("serve and import are not administration commands")
        }
    };
    db.close().await;
    result
}

async fn tenant(db: &Db, command: &TenantCommand) -> anyhow::Result<()> {
    match command {
        TenantCommand::Create {
            slug,
            name,
            owner_email,
            password_stdin,
        } => {
            let owner = match owner_email {
                Some(email) => {
                    let password = if *password_stdin {
                        PasswordSource::stdin().read()?
                    } else {
                        password::generate()
                    };
                    Some((email.as_str(), password))
                }
                None => None,
            };
            let owner_input = owner.as_ref().map(|(email, password)| NewEmployeeInput {
                email,
                name: None,
                password,
                admin_access: true,
                is_owner: true,
            });
            let tenant = tenants::create(db, slug, name.as_deref(), owner_input).await?;
            println!("{}\t{}", tenant.slug, tenant.name);
            if let Some((email, password)) = owner
                && !*password_stdin
            {
                // Shown this once: only its hash is kept.
                println!("{email}\t{password}");
            }
        }
        TenantCommand::List => {
            for tenant in db.list_tenants().await? {
                let hosts = db.list_tenant_hosts(tenant.id).await?;
                println!("{}\t{}\t{}", tenant.slug, tenant.name, hosts.join(","));
            }
        }
        TenantCommand::AddHost { slug, host } => {
            let host = tenants::add_host(db, slug, host).await?;
            println!("{slug}\t{host}");
        }
    }
    Ok(())
}

async fn employee(db: &Db, command: &EmployeeCommand) -> anyhow::Result<()> {
    match command {
        EmployeeCommand::Create {
            who,
            password,
            name,
            admin_access,
        } => {
            let tenant = tenants::find(db, &who.tenant).await?;
            let password = password.read()?;
            let input = NewEmployeeInput {
                email: &who.email,
                name: name.as_deref(),
                password: &password,
                admin_access: *admin_access,
                is_owner: false,
            };
            let created = employees::create(db, tenant.id, input).await?;
            println!("{}\t{}", created.email, created.name);
        }
        EmployeeCommand::List { tenant } => {
            let tenant = tenants::find(db, tenant).await?;
            for e in db.list_employees(tenant.id).await? {
                let access = if e.admin_access {
                    "admin-access"
                } else {
                    "no-admin-access"
                };
                let state = if e.blocked { "blocked" } else { "active" };
                let owner = if e.is_owner { "\towner" } else { "" };
                println!("{}\t{}\t{access}\t{state}{owner}", e.email, e.name);
            }
        }
        EmployeeCommand::SetPassword { who, password } => {
            let tenant = tenants::find(db, &who.tenant).await?;
            let employee = employees::find(db, tenant.id, &who.email).await?;
            let new_password = password.read()?;
            employees::set_password(db, Actor::Operator, tenant.id, employee.id, &new_password)
                .await?;
        }
        EmployeeCommand::Block { who } | EmployeeCommand::Unblock { who } => {
            let blocked = matches!(command, EmployeeCommand::Block { .. });
            let tenant = tenants::find(db, &who.tenant).await?;
            let employee = employees::find(db, tenant.id, &who.email).await?;
            employees::set_blocked(db, Actor::Operator, tenant.id, employee.id, blocked).await?;
        }
    }
    Ok(())
}

async fn group(db: &Db, command: &GroupCommand) -> anyhow::Result<()> {
    match command {
        GroupCommand::Create {
            tenant,
            name,
            permissions: keys,
        } => {
            let tenant = tenants::find(db, tenant).await?;
            let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
            let group = groups::create(db, tenant.id, name, &keys).await?;
            println!("{}\t{}", group.name, keys.join(","));
        }
        GroupCommand::AddMember(member) | GroupCommand::RemoveMember(member) => {
            let tenant: Tenant = tenants::find(db, &member.tenant).await?;
            let found = groups::find_by_name(db, tenant.id, &member.group).await?;
            let employee = employees::find(db, tenant.id, &member.email).await?;
            let (actor, ids) = (Actor::Operator, (found.id, employee.id));
            if matches!(command, GroupCommand::AddMember(_)) {
                groups::add_member(db, actor, tenant.id, ids.0, ids.1).await?;
            } else {
                groups::remove_member(db, actor, tenant.id, ids.0, ids.1).await?;
            }
            println!("{}\t{}", found.name, employee.email);
        }
        GroupCommand::Grant(change) | GroupCommand::Revoke(change) => {
            let granted = matches!(command, GroupCommand::Grant(_));
            let tenant: Tenant = tenants::find(db, &change.tenant).await?;
            let found = groups::find_by_name(db, tenant.id, &change.group).await?;
            let (actor, key) = (Actor::Operator, change.permission.as_str());
            groups::grant(db, actor, tenant.id, found.id, key, granted).await?;
            let keys = db.group_permissions(tenant.id, found.id).await?;
            println!("{}\t{}", found.name, keys.join(","));
        }
    }
    Ok(())
}

async fn setting(db: &Db, command: &SettingsCommand) -> anyhow::Result<()> {
    match command {
        SettingsCommand::Set { tenant, key, value } => {
            let tenant = tenants::find(db, tenant).await?;
            settings::set(db, tenant.id, key, value).await?;
        }
        SettingsCommand::Get { tenant, key } => {
            let tenant = tenants::find(db, tenant).await?;
            if let Some(key) = key {
                settings::find(key)?;
            }
            for (name, value) in settings::Raw::load(db, tenant.id).await?.iter() {
                if key.as_deref().is_none_or(|k| k == name) {
                    // A secret is said to be set, never printed.
                    let shown = match settings::SECRETS.contains(&name) && !value.is_empty() {
                        true => "(set)",
                        false => value,
                    };
                    println!("{name}={shown}");
                }
            }
        }
    }
    Ok(())
}
