#!/usr/bin/env python3
"""Independent counts for the sample fixtures, with Python's ElementTree.

The Rust test `samples.rs` asserts the reader's totals against the table this prints; when a
fixture is added, run `python3 count_samples.py fixtures/*.xml` and copy the rows over.
"""
import sys
import xml.etree.ElementTree as ET


def local(tag):
    return tag.split('}')[-1]


def children(e, name):
    return [c for c in e if local(c.tag) == name]


def descendants(e, name):
    return [d for d in e.iter() if local(d.tag) == name]


for path in sys.argv[1:]:
    root = ET.parse(path).getroot()
    sections = {local(c.tag): c for c in root}
    groups = properties = price_types = warehouses = units = 0
    products = offers = prices = stock = 0
    for classifier in children(root, 'Классификатор'):
        groups += len(descendants(classifier, 'Группа'))
        for props in children(classifier, 'Свойства'):
            properties += len(children(props, 'Свойство'))
        for pts in children(classifier, 'ТипыЦен'):
            price_types += len(children(pts, 'ТипЦены'))
        for whs in children(classifier, 'Склады'):
            warehouses += len(children(whs, 'Склад'))
        for us in children(classifier, 'ЕдиницыИзмерения'):
            units += len(children(us, 'ЕдиницаИзмерения'))
    for catalog in children(root, 'Каталог'):
        for goods in children(catalog, 'Товары'):
            products += len(children(goods, 'Товар'))
    for package in children(root, 'ПакетПредложений') + children(root, 'ИзмененияПакетаПредложений'):
        for pts in children(package, 'ТипыЦен'):
            price_types += len(children(pts, 'ТипЦены'))
        for whs in children(package, 'Склады'):
            warehouses += len(children(whs, 'Склад'))
        for offer_list in children(package, 'Предложения'):
            for offer in children(offer_list, 'Предложение'):
                offers += 1
                for ps in children(offer, 'Цены'):
                    prices += len(children(ps, 'Цена'))
                stock += len([s for s in descendants(offer, 'Склад') if 'ИдСклада' in s.attrib])
                for rests in children(offer, 'Остатки'):
                    for rest in children(rests, 'Остаток'):
                        stock += len(children(rest, 'Склад'))
    orders = len(children(root, 'Документ'))
    pictures = len(descendants(root, 'Картинка')) > 0
    name = path.split('/')[-1]
    print(f'("{name}", [{groups}, {properties}, {price_types}, {warehouses}, {units}, '
          f'{products}, {offers}, {prices}, {stock}, {orders}], {str(pictures).lower()}),')
