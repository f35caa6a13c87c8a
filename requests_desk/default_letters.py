"""The letters the desk ships with, in Dutch: the privacy officer's starting point, edited in the
admin afterwards. A data migration puts them in the database; a template that has gone missing
is put back from here, so a letter is never refused for want of a template."""

SIGNATURE = """
Met vriendelijke groet,

Privacy Office Rezulto B.V.
privacy@rezulto.nl"""

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

Bent u het hier niet mee eens, dan kunt u een klacht indienen bij de Autoriteit
Persoonsgegevens (www.autoriteitpersoonsgegevens.nl).
"""
        + SIGNATURE,
    ),
    "completion": (
        "Uw verzoek {{ kenmerk }} is afgehandeld",
        """Beste {{ naam }},

Wij hebben uw verzoek ({{ soort }}) van {{ ontvangen_op }} afgehandeld.

{{ uitkomst }}

Heeft u nog vragen, of bent u niet tevreden over de afhandeling, laat het ons weten. U kunt ook
een klacht indienen bij de Autoriteit Persoonsgegevens (www.autoriteitpersoonsgegevens.nl).
"""
        + SIGNATURE,
    ),
    "rejection": (
        "Wij kunnen uw verzoek {{ kenmerk }} niet uitvoeren",
        """Beste {{ naam }},

Op {{ ontvangen_op }} ontvingen wij uw verzoek ({{ soort }}). Wij kunnen dit verzoek niet
uitvoeren, om de volgende reden(en):

{{ redenen }}

Bent u het hier niet mee eens, dan kunt u een klacht indienen bij de Autoriteit
Persoonsgegevens (www.autoriteitpersoonsgegevens.nl) of naar de rechter stappen (artikel 12,
vierde lid, AVG).
"""
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

Heeft u nog vragen, laat het ons weten. U kunt ook een klacht indienen bij de Autoriteit
Persoonsgegevens (www.autoriteitpersoonsgegevens.nl).
"""
        + SIGNATURE,
    ),
    "erasure": (
        "Uw gegevens zijn verwijderd ({{ kenmerk }})",
        """Beste {{ naam }},

U vroeg ons op {{ ontvangen_op }} om uw persoonsgegevens te verwijderen. Dat hebben wij gedaan.
Dit is het laatste bericht dat wij naar dit adres sturen.

Wat wij per systeem hebben gedaan:
{{ per_systeem }}

Wat wij moeten of mogen bewaren, en waarom (artikel 17, derde lid, AVG):
{{ bewaard }}

Organisaties aan wie wij uw gegevens hebben verstrekt, informeren wij over de verwijdering
(artikel 19 AVG). U kunt een klacht indienen bij de Autoriteit Persoonsgegevens
(www.autoriteitpersoonsgegevens.nl).
"""
        + SIGNATURE,
    ),
    "restriction_lifted": (
        "De beperking van de verwerking wordt opgeheven ({{ kenmerk }})",
        """Beste {{ naam }},

Op {{ ontvangen_op }} vroeg u ons de verwerking van uw persoonsgegevens te beperken. Wij laten u
weten dat wij die beperking opheffen (artikel 18, derde lid, AVG). De reden:

{{ redenen }}

Vanaf nu verwerken wij uw gegevens weer zoals onze privacyverklaring beschrijft. Waarvoor u zich
hebt afgemeld, blijft afgemeld. Bent u het hier niet mee eens, laat het ons weten. U kunt ook een
klacht indienen bij de Autoriteit Persoonsgegevens (www.autoriteitpersoonsgegevens.nl).
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
