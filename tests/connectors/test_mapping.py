"""The dataset mapping: the webshop's is valid; a bad one is refused with sentences that say where
and what, in Dutch (and English under an English locale)."""

from django.utils import translation

from connectors import webshop
from connectors.mapping import DELETE_ROW, KEEP, UPDATE, errors_of, parse


def test_the_webshop_mapping_is_valid_and_orders_parents_before_children():
    mapping = parse(webshop.MAPPING)
    names = [t.name for t in mapping.tables]
    assert names[0] == "customers" and names.index("orders") < names.index("order_lines")
    assert mapping.table("customers").erase == DELETE_ROW
    assert mapping.table("forum_posts").erase == UPDATE
    invoices = mapping.table("invoices")
    assert invoices.erase == KEEP and invoices.keep_years == 7 and "AWR" in invoices.keep_reason
    assert mapping.table("order_lines").parent == "orders"


def test_text_that_is_not_yaml_is_refused_with_its_line():
    errors = errors_of("version: 1\nidentity: [unclosed\n")
    assert len(errors) == 1 and "YAML" in errors[0] and "regel" in errors[0]


def test_a_missing_field_and_an_unknown_action_are_named_with_their_place():
    errors = errors_of("version: 1\ntables:\n  customers: {erase: shred}\n")
    assert any("verplicht veld ontbreekt: identity" in e for e in errors)
    assert any(e.startswith("tables/customers/erase: kies een van") for e in errors)


def test_keep_needs_a_legal_reason_and_an_end_date():
    base = "version: 1\nidentity: {table: c, column: email}\ntables:\n  c: {erase: delete_row}\n"
    no_keep = (
        base
        + "  i: {link: {column: c_id, to: c}, erase: keep, fields: {c_id: {action: set_null}}}\n"
    )
    assert any("wettelijke reden" in e for e in errors_of(no_keep))
    no_end = base + (
        "  i:\n    link: {column: c_id, to: c}\n    erase: keep\n"
        "    keep: {reason: Fiscale bewaarplicht}\n    fields: {c_id: {action: set_null}}\n"
    )
    assert any("einddatum" in e for e in errors_of(no_end))
    field_keep = base + (
        "  o:\n    link: {column: c_id, to: c}\n    erase: update\n"
        "    fields: {c_id: {action: set_null}, total: {action: keep}}\n"
    )
    assert any("tables/o/fields/total: keep vraagt een reason" in e for e in errors_of(field_keep))


def test_a_row_that_stays_must_not_point_at_a_deleted_parent():
    text = webshop.MAPPING.replace("      customer_id: {action: set_null}\n", "", 1)
    assert any("zet customer_id op set_null" in e for e in errors_of(text))


def test_a_table_without_a_link_and_a_link_to_nowhere_are_refused():
    text = (
        "version: 1\nidentity: {table: c, column: email}\ntables:\n  c: {erase: delete_row}\n"
        "  o: {erase: delete_row}\n  l: {link: {column: o_id, to: nowhere}, erase: delete_row}\n"
    )
    errors = errors_of(text)
    assert any(e.startswith("tables/o: link ontbreekt") for e in errors)
    assert any("onbekende tabel nowhere" in e for e in errors)


def test_a_bad_column_name_and_a_bad_date_are_refused():
    text = webshop.MAPPING.replace("column: email", "column: 'email; drop table x'")
    assert any("geen geldige tabel- of kolomnaam" in e for e in errors_of(text))
    text = webshop.MAPPING.replace(
        "      years: 7\n      from: issued_on\n", "      until: 'morgen'\n"
    )
    assert any("geen datum" in e for e in errors_of(text))


def test_the_errors_are_english_under_an_english_locale():
    with translation.override("en"):
        errors = errors_of("version: 2\nidentity: {table: c, column: e}\ntables: {c: {erase: x}}\n")
    assert any("only version 1" in e for e in errors)
    assert any("choose one of" in e for e in errors)
