"""Admin search that an index serves, however large the table grows.

Django's admin search ORs `UPPER(column) LIKE '%term%'` over every search field, across joins: no
index can serve that, so every search reads the whole table (the ledger's cast its sequence to
text as well). Here each search field gets a trigram index on PostgreSQL (`trigram_indexes`, in
the app's migrations), a field across a relation is first resolved to the related rows' ids (so
the OR stays on the listed table and each branch has an index), and `=field` on a number matches
the number. The results are those of Django's search: the same fields, the same terms.
SQLite has no trigram indexes; there the search reads the table, as before."""

from django.contrib import admin
from django.db import migrations, models
from django.db.models import Q
from django.utils.text import smart_split, unescape_string_literal

# A term that matches more related rows than this is too vague to narrow the list by them.
RELATED_LIMIT = 1000


class IndexedSearchAdmin(admin.ModelAdmin):
    def get_search_results(self, request, queryset, search_term):
        fields = self.get_search_fields(request)
        if not search_term or not fields:
            return queryset, False
        for bit in smart_split(search_term):
            if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
                bit = unescape_string_literal(bit)
            queryset = queryset.filter(self._term(bit, fields))
        return queryset, False

    def _term(self, term: str, fields) -> Q:
        match = Q(pk__in=[])
        for spec in fields:
            exact, name = spec.startswith("="), spec.lstrip("=^@")
            relation, _, rest = name.partition("__")
            if rest:
                related = self.model._meta.get_field(relation).related_model
                ids = related._default_manager.filter(**{f"{rest}__icontains": term})
                match |= Q(
                    **{f"{relation}__in": list(ids.values_list("pk", flat=True)[:RELATED_LIMIT])}
                )
            elif exact and isinstance(self.model._meta.get_field(name), models.IntegerField):
                if term.isdigit():
                    match |= Q(**{name: int(term)})
            else:
                match |= Q(**{f"{name}__{'iexact' if exact else 'icontains'}": term})
        return match


def _index_name(table: str, column: str) -> str:
    return f"trgm_{table[-36:]}_{column[:20]}"


def trigram_indexes(*columns: tuple[str, str]) -> migrations.RunPython:
    """A migration step: a trigram index per (table, column) on PostgreSQL, for `icontains`
    (`UPPER(column::text) LIKE …`, which is what Django writes); nothing on other databases.
    `pg_trgm` ships with PostgreSQL; creating the extension needs a role that may (the owner of
    the database on PostgreSQL 13 and later, since pg_trgm is a trusted extension)."""

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        quote = schema_editor.quote_name
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for table, column in columns:
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {quote(_index_name(table, column))} ON {quote(table)}"
                f" USING gin (UPPER({quote(column)}::text) gin_trgm_ops)"
            )

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for table, column in columns:
            schema_editor.execute(
                f"DROP INDEX IF EXISTS {schema_editor.quote_name(_index_name(table, column))}"
            )

    return migrations.RunPython(forwards, backwards, elidable=False)
