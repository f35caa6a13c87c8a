"""The dataset mapping of a SQL connector: a YAML document that says where one person's data sits in
a system's database and what erasure does to each of it. Pure: text in, a `Mapping` or a list of
readable errors out (no database).

```yaml
version: 1                      # the mapping format; the connector numbers each edit apart
identity: {table: customers, column: email, name: [first_name, last_name]}
tables:
  customers:
    key: id
    erase: delete_row           # delete_row | update | keep
  orders:
    key: id
    link: {column: customer_id, to: customers}        # orders.customer_id = customers.id
    erase: update
    fields:
      shipping_name: {action: set_null}
      shipping_street: {action: fixed, value: "verwijderd"}
      total: {action: keep, reason: "Omzetcijfers", until: "2033-12-31"}
  invoices:
    link: {column: customer_id, to: customers}
    erase: keep
    keep: {reason: "Fiscale bewaarplicht, art. 52 AWR", years: 7, from: issued_on}
    fields:
      customer_id: {action: set_null}   # the kept invoice loses its link to the erased customer
```

Each table but the identity table reaches the person through one `link` (a foreign key to a table
listed before it), so a lookup walks a tree and finds exactly the person's rows. A kept table keeps
its rows until `from` + `years` (or the date `until`), and deletes them once that has passed.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

import jsonschema
import yaml
from django.utils.translation import gettext as _

DELETE_ROW, UPDATE, KEEP = "delete_row", "update", "keep"
SET_NULL, FIXED = "set_null", "fixed"
NAME = r"^[A-Za-z_][A-Za-z0-9_]{0,62}$"

SCHEMA = {
    "type": "object",
    "required": ["version", "identity", "tables"],
    "additionalProperties": False,
    "properties": {
        "version": {"const": 1},
        "identity": {
            "type": "object",
            "required": ["table", "column"],
            "additionalProperties": False,
            "properties": {
                "table": {"type": "string", "pattern": NAME},
                "column": {"type": "string", "pattern": NAME},
                "match": {"enum": ["exact", "lower"]},
                # The columns of the identity table that together spell the person's name (a
                # notice to everyone in the system greets each by it).
                "name": {
                    "type": "array",
                    "items": {"type": "string", "pattern": NAME},
                    "minItems": 1,
                    "maxItems": 4,
                },
            },
        },
        "tables": {
            "type": "object",
            "minProperties": 1,
            "propertyNames": {"pattern": NAME},
            "additionalProperties": {
                "type": "object",
                "required": ["erase"],
                "additionalProperties": False,
                "properties": {
                    "key": {"type": "string", "pattern": NAME},
                    "link": {
                        "type": "object",
                        "required": ["column", "to"],
                        "additionalProperties": False,
                        "properties": {
                            "column": {"type": "string", "pattern": NAME},
                            "to": {"type": "string", "pattern": NAME},
                            "to_column": {"type": "string", "pattern": NAME},
                        },
                    },
                    "erase": {"enum": [DELETE_ROW, UPDATE, KEEP]},
                    "keep": {
                        "type": "object",
                        "required": ["reason"],
                        "additionalProperties": False,
                        "properties": {
                            "reason": {"type": "string", "minLength": 3},
                            "years": {"type": "integer", "minimum": 1, "maximum": 100},
                            "from": {"type": "string", "pattern": NAME},
                            "until": {"type": "string", "format": "date"},
                        },
                    },
                    "fields": {
                        "type": "object",
                        "propertyNames": {"pattern": NAME},
                        "additionalProperties": {
                            "type": "object",
                            "required": ["action"],
                            "additionalProperties": False,
                            "properties": {
                                "action": {"enum": [SET_NULL, FIXED, KEEP]},
                                "value": {"type": ["string", "number", "boolean"]},
                                "reason": {"type": "string", "minLength": 3},
                                "until": {"type": "string", "format": "date"},
                            },
                        },
                    },
                    # The fields a rectification may change: our field name → this table's column;
                    # a name kept in two columns maps to both: [first name's, last name's].
                    "rectify": {
                        "type": "object",
                        "propertyNames": {
                            "enum": ["name", "phone", "organisation", "function", "email"]
                        },
                        "additionalProperties": {"type": "string", "pattern": NAME},
                        "properties": {
                            "name": {
                                "oneOf": [
                                    {"type": "string", "pattern": NAME},
                                    {
                                        "type": "array",
                                        "items": {"type": "string", "pattern": NAME},
                                        "minItems": 2,
                                        "maxItems": 2,
                                    },
                                ]
                            }
                        },
                    },
                    # Restriction (Art. 18): the column set to `value` while processing is limited.
                    "restrict": {
                        "type": "object",
                        "required": ["column", "value"],
                        "additionalProperties": False,
                        "properties": {
                            "column": {"type": "string", "pattern": NAME},
                            "value": {"type": ["string", "number", "boolean"]},
                        },
                    },
                },
            },
        },
    },
}


class MappingError(ValueError):
    """A mapping that cannot be used; `errors` are readable sentences, each naming where."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class FieldRule:
    column: str
    action: str
    value: object = None
    reason: str = ""
    until: dt.date | None = None


@dataclass(frozen=True)
class Table:
    name: str
    key: str
    erase: str
    parent: str | None = None  # the table this one links to
    column: str | None = None  # this table's column that holds the parent's `parent_column`
    parent_column: str | None = None
    fields: tuple[FieldRule, ...] = ()
    keep_reason: str = ""
    keep_years: int | None = None
    keep_from: str | None = None
    keep_until: dt.date | None = None
    rectify: dict = field(default_factory=dict)
    restrict: tuple | None = None  # (column, value)

    def kept_until(self, row: dict) -> dt.date | None:
        """The day a kept row may go: `until`, or `from` + `years` (None: no date in the row)."""
        if self.keep_until:
            return self.keep_until
        start = row.get(self.keep_from) if self.keep_from else None
        if isinstance(start, str):
            start = dt.date.fromisoformat(start[:10])
        if isinstance(start, dt.datetime):
            start = start.date()
        if start is None or self.keep_years is None:
            return None
        try:
            return start.replace(year=start.year + self.keep_years)
        except ValueError:  # 29 February into a year without one
            return start.replace(year=start.year + self.keep_years, day=28)


@dataclass(frozen=True)
class Mapping:
    identity_table: str
    identity_column: str
    match: str
    tables: tuple[Table, ...]  # parents before children
    name_columns: tuple[str, ...] = ()  # the identity table's columns that spell the name

    def table(self, name: str) -> Table:
        return next(t for t in self.tables if t.name == name)

    def children(self, name: str) -> list[Table]:
        return [t for t in self.tables if t.parent == name]


def _where(path) -> str:
    return "/".join(str(p) for p in path) or _("het document")


def _schema_error(error: jsonschema.ValidationError) -> str:
    where = _where(error.absolute_path)
    if error.validator == "required":
        missing = re.findall(r"'([^']+)' is a required property", error.message)
        return _("%(where)s: verplicht veld ontbreekt: %(name)s") % {
            "where": where,
            "name": ", ".join(missing) or error.message,
        }
    if error.validator == "additionalProperties":
        return _("%(where)s: onbekend veld (%(detail)s)") % {
            "where": where,
            "detail": error.message,
        }
    if error.validator == "enum":
        return _("%(where)s: kies een van %(choices)s") % {
            "where": where,
            "choices": ", ".join(str(c) for c in error.validator_value),
        }
    if error.validator == "pattern":
        return _("%(where)s: geen geldige tabel- of kolomnaam: %(value)s") % {
            "where": where,
            "value": error.instance,
        }
    if error.validator == "const":
        return _("%(where)s: alleen versie 1 van het formaat bestaat") % {"where": where}
    if error.validator == "format":
        return _("%(where)s: geen datum (JJJJ-MM-DD): %(value)s") % {
            "where": where,
            "value": error.instance,
        }
    return _("%(where)s: %(detail)s") % {"where": where, "detail": error.message}


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def parse(text: str) -> Mapping:
    """The mapping in `text`, or MappingError with every problem found, each naming its place."""
    try:
        document = yaml.safe_load(text or "")
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else "?"
        raise MappingError([_("Geen geldige YAML (regel %(line)s)") % {"line": line}]) from None
    if not isinstance(document, dict):
        raise MappingError([_("Het document moet een mapping (sleutels en waarden) zijn.")])
    validator = jsonschema.Draft202012Validator(
        SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    if errors:
        raise MappingError([_schema_error(e) for e in errors])
    return _build(document)


def _build(document: dict) -> Mapping:
    errors = []
    identity = document["identity"]
    specs = document["tables"]
    if identity["table"] not in specs:
        errors.append(
            _("identity: de tabel %(table)s staat niet onder tables") % {"table": identity["table"]}
        )
    tables, order, seen = {}, [], set()
    for name, spec in specs.items():
        where = f"tables/{name}"
        link = spec.get("link")
        if name == identity["table"] and link:
            errors.append(_("%(where)s: de identiteitstabel heeft geen link") % {"where": where})
        if name != identity["table"] and not link:
            errors.append(
                _("%(where)s: link ontbreekt (hoe hoort een rij bij de persoon?)")
                % {"where": where}
            )
        if link and link["to"] not in specs:
            errors.append(
                _("%(where)s/link: onbekende tabel %(to)s") % {"where": where, "to": link["to"]}
            )
        erase = spec["erase"]
        keep = spec.get("keep") or {}
        if erase == KEEP:
            if not keep:
                errors.append(
                    _("%(where)s: bewaren vraagt keep met een wettelijke reden") % {"where": where}
                )
            elif not keep.get("until") and not (keep.get("years") and keep.get("from")):
                errors.append(
                    _("%(where)s/keep: geef een einddatum: until, of years met from")
                    % {"where": where}
                )
        elif keep:
            errors.append(_("%(where)s/keep: alleen bij erase: keep") % {"where": where})
        rules = []
        for column, rule in (spec.get("fields") or {}).items():
            at = f"{where}/fields/{column}"
            action = rule["action"]
            if action == FIXED and "value" not in rule:
                errors.append(_("%(where)s: fixed vraagt een value") % {"where": at})
            if action == KEEP and not (rule.get("reason") and rule.get("until")):
                errors.append(
                    _("%(where)s: keep vraagt een reason en een einddatum (until)") % {"where": at}
                )
            if erase == DELETE_ROW:
                errors.append(
                    _("%(where)s: velden hebben geen actie als de rij wordt verwijderd")
                    % {"where": at}
                )
            rules.append(
                FieldRule(
                    column=column,
                    action=action,
                    value=rule.get("value"),
                    reason=rule.get("reason", ""),
                    until=_date(rule.get("until")),
                )
            )
        if erase == UPDATE and not rules:
            errors.append(_("%(where)s: update zonder fields wist niets") % {"where": where})
        restrict = spec.get("restrict")
        tables[name] = Table(
            name=name,
            key=spec.get("key", "id"),
            erase=erase,
            parent=link["to"] if link else None,
            column=link["column"] if link else None,
            parent_column=(link.get("to_column") or specs.get(link["to"], {}).get("key", "id"))
            if link
            else None,
            fields=tuple(rules),
            keep_reason=keep.get("reason", ""),
            keep_years=keep.get("years"),
            keep_from=keep.get("from"),
            keep_until=_date(keep.get("until")),
            rectify=dict(spec.get("rectify") or {}),
            restrict=(restrict["column"], restrict["value"]) if restrict else None,
        )
    for table in tables.values():
        parent = tables.get(table.parent) if table.parent else None
        nulled = any(r.column == table.column and r.action == SET_NULL for r in table.fields)
        if parent and parent.erase == DELETE_ROW and table.erase != DELETE_ROW and not nulled:
            errors.append(
                _(
                    "tables/%(name)s: de rij blijft staan maar %(parent)s wordt verwijderd: zet "
                    "%(column)s op set_null"
                )
                % {"name": table.name, "parent": parent.name, "column": table.column}
            )
    if errors:
        raise MappingError(errors)
    # Parents before children; a table whose chain never reaches the identity table is a circle.
    pending = dict(tables)
    seen = set()
    while pending:
        ready = [t for t in pending.values() if t.parent is None or t.parent in seen]
        if not ready:
            raise MappingError(
                [
                    _("tables: een kring van links zonder de identiteitstabel: %(names)s")
                    % {"names": ", ".join(sorted(pending))}
                ]
            )
        for table in ready:
            order.append(table)
            seen.add(table.name)
            del pending[table.name]
    return Mapping(
        identity_table=identity["table"],
        identity_column=identity["column"],
        match=identity.get("match", "exact"),
        tables=tuple(order),
        name_columns=tuple(identity.get("name") or ()),
    )


def errors_of(text: str) -> list[str]:
    """The problems of a mapping, or [] when it is usable."""
    try:
        parse(text)
    except MappingError as error:
        return error.errors
    return []
