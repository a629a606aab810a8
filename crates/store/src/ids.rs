//! Typed row ids, so a group id can never be passed where an employee id is expected.

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, sqlx::Type)]
        #[sqlx(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// A tenant (one business with its own shop).
    TenantId
);
id_type!(
    /// An employee of one tenant.
    EmployeeId
);
id_type!(
    /// A user group of one tenant.
    GroupId
);
