"""The letters the desk ships with, in Dutch: the privacy officer's starting point, edited in the
admin afterwards. A data migration puts them in the database; a template that has gone missing
is put back from here, so a letter is never refused for want of a template."""

SIGNATURE = """
Met vriendelijke groet,

Privacy Office Rezulto B.V.
privacy@rezulto.nl"""

# Both remedies of Art. 12(4) GDPR, in every letter that reports a decision (LEGAL.md §6).
REMEDIES = (
    "Bent u het niet eens met ons antwoord, dan kunt u een klacht indienen bij de Autoriteit\n"
    "Persoonsgegevens (www.autoriteitpersoonsgegevens.nl, Postbus 93374, 2509 AJ Den Haag) en\n"
    "kunt u naar de rechter stappen (artikel 12, vierde lid, AVG)."
)

LETTERS = {
    "acknowledgement": (
        "Ontvangstbevestiging van uw verzoek {{ kenmerk }}",
        """Beste {{ naam }},

Op {{ ontvangen_op }} hebben wij uw verzoek ({{ soort }}) ontvangen. Uw kenmerk is {{ kenmerk }};
vermeld dit als u contact met ons opneemt.

Wij handelen uw verzoek zo snel mogelijk af, uiterlijk op {{ streefdatum }}. De wettelijke termijn
is één maand: {{ termijn }}.
"""
        + SIGNATURE,
    ),
    "identity_check": (
        "Wilt u bevestigen dat u het bent? ({{ kenmerk }})",
        """Beste {{ naam }},

Wij willen zeker weten dat wij uw gegevens aan de juiste persoon geven of op de juiste persoon
toepassen. Wilt u deze e-mail beantwoorden vanaf het e-mailadres dat bij ons bekend is? Meer
hebben wij meestal niet nodig.

Stuur ons geen kopie van uw identiteitsbewijs tenzij wij u daar uitdrukkelijk om vragen. Doet u
dat toch, maak dan uw foto en burgerservicenummer (BSN) onleesbaar; wij verwijderen de kopie zodra
uw identiteit is vastgesteld.

Uw kenmerk: {{ kenmerk }}. De termijn loopt gewoon door: uiterlijk {{ termijn }}.
"""
        + SIGNATURE,
    ),
    "extension": (
        "Wij hebben meer tijd nodig voor uw verzoek {{ kenmerk }}",
        """Beste {{ naam }},

Uw verzoek ({{ soort }}) van {{ ontvangen_op }} vraagt meer tijd dan de gebruikelijke maand. Wij
verlengen de termijn daarom, zoals artikel 12, derde lid, van de AVG toestaat, tot uiterlijk
{{ verlengde_termijn }}.

De reden: {{ reden_verlenging }}

"""
        + REMEDIES
        + "\n"
        + SIGNATURE,
    ),
    "completion": (
        "Uw verzoek {{ kenmerk }} is afgehandeld",
        """Beste {{ naam }},

Wij hebben uw verzoek ({{ soort }}) van {{ ontvangen_op }} afgehandeld.

{{ uitkomst }}

Heeft u nog vragen, of bent u niet tevreden over de afhandeling, laat het ons weten.
"""
        + REMEDIES
        + "\n"
        + SIGNATURE,
    ),
    "rejection": (
        "Wij kunnen uw verzoek {{ kenmerk }} niet uitvoeren",
        """Beste {{ naam }},

Op {{ ontvangen_op }} ontvingen wij uw verzoek ({{ soort }}). Wij kunnen dit verzoek niet
uitvoeren, om de volgende reden(en):

{{ redenen }}

"""
        + REMEDIES
        + "\n"
        + SIGNATURE,
    ),
    "access_package": (
        "Uw gegevens staan klaar ({{ kenmerk }})",
        """Beste {{ naam }},

U vroeg ons op {{ ontvangen_op }} om inzage in uw persoonsgegevens. Via deze link downloadt u een
ZIP-bestand met een overzicht van wat wij van u verwerken, waarom, hoe lang en met wie wij het
delen, en uw gegevens zelf in JSON en CSV (die u aan een andere organisatie kunt geven):

{{ link }}

Wat wij per systeem hebben gedaan:
{{ per_systeem }}

De link werkt tot {{ verloopt_op }} en een beperkt aantal keren. Stuur deze e-mail niet door:
wie de link heeft, kan uw gegevens downloaden.

Heeft u nog vragen, laat het ons weten.
"""
        + REMEDIES
        + "\n"
        + SIGNATURE,
    ),
    "erasure": (
        "Uw gegevens zijn verwijderd ({{ kenmerk }})",
        """Beste {{ naam }},

U vroeg ons op {{ ontvangen_op }} om uw persoonsgegevens te verwijderen. Dat hebben wij gedaan.
Dit is het laatste bericht dat wij naar dit adres sturen.

Wat wij per systeem hebben gedaan:
{{ per_systeem }}

Wat er in elk van onze gekoppelde systemen is gebeurd (verwijderd, leeggemaakt of bewaard):
{{ systemen }}

Wat wij moeten of mogen bewaren, en waarom (artikel 17, derde lid, AVG):
{{ bewaard }}

Organisaties aan wie wij uw gegevens hebben verstrekt, informeren wij over de verwijdering
(artikel 19 AVG).

"""
        + REMEDIES
        + "\n"
        + SIGNATURE,
    ),
    "restriction_lifted": (
        "De beperking van de verwerking wordt opgeheven op {{ opheffen_op }} ({{ kenmerk }})",
        """Beste {{ naam }},

Op {{ ontvangen_op }} vroeg u ons de verwerking van uw persoonsgegevens te beperken. Wij laten u
vooraf weten dat wij die beperking opheffen op {{ opheffen_op }} (artikel 18, derde lid, AVG).
Tot die dag blijft de beperking gelden. De reden:

{{ redenen }}

Vanaf {{ opheffen_op }} verwerken wij uw gegevens weer zoals onze privacyverklaring beschrijft.
Waarvoor u zich hebt afgemeld, blijft afgemeld. Wilt u dat niet, laat het ons vóór die dag weten.
"""
        + REMEDIES
        + "\n"
        + SIGNATURE,
    ),
    "free_text": (
        "Uw verzoek {{ kenmerk }}",
        """Beste {{ naam }},

{{ tekst }}

Uw kenmerk: {{ kenmerk }}.
"""
        + SIGNATURE,
    ),
    "identity_timeout": (
        "Wij hebben uw verzoek {{ kenmerk }} gesloten",
        """Beste {{ naam }},

Op {{ ontvangen_op }} ontvingen wij uw verzoek ({{ soort }}). Wij hebben u gevraagd te bevestigen
dat u het bent, maar die bevestiging hebben wij niet ontvangen. Wij hebben uw verzoek daarom niet
uitgevoerd en gesloten.

{{ uitkomst }}

U kunt altijd een nieuw verzoek indienen. Bent u het niet eens met het sluiten van uw verzoek, dan
kunt u een klacht indienen bij de Autoriteit Persoonsgegevens (www.autoriteitpersoonsgegevens.nl)
of naar de rechter stappen (artikel 12, vierde lid, AVG).
"""
        + SIGNATURE,
    ),
}
