"""Rezulto's register as its privacy statement (19 January 2022, /shared/seeds/) describes it.

Pure data, loaded by `manage.py load_rezulto_register`. Where the statement is silent (the exact
retention periods, the systems, the owners) the values are the privacy office's working choices,
marked as such in the `internal_note` (never published); the privacy officer refines them in the
admin. The statement names no transfer outside the EEA and no automated decision, so the register
holds none. Whether giving the data is required, and what follows if not, is what the statement
says ("Om van deze diensten gebruik te maken, is het noodzakelijk dat je bepaalde
persoonsgegevens aan ons verstrekt"; "Om een account aan te maken, vul je jouw naam en e-mailadres
in"; market research "als je … wilt meewerken"); data the person does not hand over themselves
(click behaviour, their own customer record) is `not_provided`, and only the social-media profile
data comes from elsewhere (`obtained_from_subject`: False).
"""

CONTROLLER = {
    "name": "Rezulto B.V.",
    "address": "Sarphatipark 25, 1073 CP Amsterdam",
    "kvk_number": "84541423",
    "email": "info@rezulto.nl",
    "phone": "085 9024886",
    "website": "https://www.rezulto.nl",
    "dpo_name": "Privacy Office Rezulto",
    "dpo_email": "privacy@rezulto.nl",
}

SUBJECTS = {
    "klanten": "Klanten (onderwijsmedewerkers die producten, trainingen of abonnementen afnemen)",
    "abonnees": "Abonnees",
    "nieuwsbrief": "Nieuwsbriefontvangers",
    "bezoekers": "Websitebezoekers",
    "deelnemers": "Deelnemers aan acties, prijsvragen en marktonderzoek",
    "accounthouders": "Accounthouders",
    "volgers": "Volgers op sociale media",
    "contacten": "Personen die contact opnemen met de klantenservice",
    "verzoekers": "Betrokkenen die een privacyverzoek doen",
}

DATA = {
    "contact": ("Contactgegevens (naam, adres, telefoonnummer, e-mailadres)", False),
    "werk": ("Functie en onderwijs(gerelateerde) organisatie", False),
    "bestel": ("Bestel-, abonnements- en betaalgegevens", False),
    "klik": ("Klikgedrag op websites en in nieuwsbrieven", False),
    "interesse": ("Interesse- en voorkeursgegevens", False),
    "login": ("Inloggegevens (naam, e-mailadres)", False),
    "forum": ("Berichten op het forum", False),
    "profiel": ("Openbare profielgegevens op sociale media", False),
    "onderzoek": ("Antwoorden in marktonderzoek", False),
    "correspondentie": ("Vragen, klachten en correspondentie", False),
    "verzoek": ("Inhoud en afhandeling van het privacyverzoek", False),
}

RECIPIENTS = {
    "verwerkers": "Verwerkers in opdracht van Rezulto",
    "bezorgers": "Bezorgers en vervoerders",
    "overheid": "Overheidsinstanties, alleen bij een wettelijke plicht",
    "platforms": "Socialemediaplatforms",
}

SECURITY = {
    "toegang": "Toegang op basis van rollen, alleen voor wie het nodig heeft",
    "versleuteling": "Versleutelde verbindingen (TLS) en versleutelde opslag",
    "logging": "Logging en controle van toegang tot persoonsgegevens",
    "vo": "Verwerkersovereenkomst met iedere verwerker",
    "bewustzijn": "Privacy- en securitytraining voor medewerkers",
}

PROCESSORS = {
    "Hostingpartner": ("technical", "NL"),
    "E-mailserviceprovider": ("technical", "NL"),
    "Verzendhuis": ("mailing_house", "NL"),
    "Onderzoeksbureau": ("research_agency", "NL"),
    "Belbureau": ("call_agency", "NL"),
}

SYSTEMS = {
    "crm": ("CRM en klantadministratie", "Hostingpartner"),
    "webshop": ("Webshop en orderverwerking", "Hostingpartner"),
    "mailplatform": ("E-mailplatform (nieuwsbrieven en e-mailings)", "E-mailserviceprovider"),
    "webanalytics": ("Webstatistieken", "Hostingpartner"),
    "accounts": ("Accountomgeving en forum", "Hostingpartner"),
    "klantenservice": ("Klantenservicesysteem", "Hostingpartner"),
    "onderzoekstool": ("Onderzoekstool", "Onderzoeksbureau"),
    "privacy-office": ("Privacy Office (deze applicatie)", None),
}

ALL_KINDS = [
    "access",
    "rectification",
    "erasure",
    "restriction",
    "portability",
    "objection_direct_marketing",
    "withdraw_consent",
]
DATA_KINDS = ["access", "rectification", "erasure", "restriction", "portability"]
MARKETING_KINDS = ALL_KINDS

COMMON = {"owner": "Privacy officer", "status": "active"}

# slug: the activity's fields; lists name keys of the vocabularies above.
ACTIVITIES = {
    "verkoop-en-levering": {
        "name": "Verkoop, uitvoering en levering van producten en diensten",
        "purposes": (
            "Het aangaan en uitvoeren van de overeenkomst: producten, trainingen en abonnementen "
            "leveren en de klant op de hoogte houden van het verloop daarvan."
        ),
        "legal_basis": "contract",
        "subjects": ["klanten", "abonnees"],
        "data": ["contact", "werk", "bestel"],
        "recipients": ["verwerkers", "bezorgers", "overheid"],
        "processors": ["Hostingpartner", "Verzendhuis"],
        "systems": ["crm", "webshop"],
        "retention_months": 84,
        "retention_event": "end_of_contract",
        "retention_note": (
            "Fiscale bewaarplicht van zeven jaar (art. 52 AWR) voor de administratie."
        ),
        "data_source": "De klant zelf, bij bestelling of aanmelding",
        "provision_requirement": "for_contract",
        "provision_consequence": (
            "Zonder deze gegevens kunnen wij de overeenkomst niet aangaan en je bestelling, "
            "training of abonnement niet leveren."
        ),
        "request_kinds": DATA_KINDS,
    },
    "websitegedrag": {
        "name": "Klikgedrag van websitebezoekers",
        "purposes": "De website en de dienstverlening optimaliseren op basis van klikgedrag.",
        "legal_basis": "legitimate_interest",
        "legitimate_interest": (
            "Het belang van Rezulto om haar website en dienstverlening te verbeteren."
        ),
        "balancing_note": (
            "Alleen geaggregeerde analyse; bezoekers kunnen cookies weigeren; geen profilering "
            "met rechtsgevolgen."
        ),
        "subjects": ["bezoekers"],
        "data": ["klik"],
        "recipients": ["verwerkers"],
        "processors": ["Hostingpartner"],
        "systems": ["webanalytics"],
        "retention_months": 14,
        "retention_event": "collection",
        "internal_note": "Werkkeuze van het privacy office; de verklaring noemt geen termijn.",
        "data_source": "Het gebruik van de website",
        "provision_requirement": "not_provided",
        "is_searchable_by_subject": False,
        "request_kinds": [],
    },
    "acties-en-winacties": {
        "name": "Online acties en prijsvragen",
        "purposes": (
            "Het uitvoeren van de online actie of prijsvraag en, met toestemming, gericht "
            "adverteren of een aanbieding doen."
        ),
        "legal_basis": "consent",
        "is_direct_marketing": True,
        "subjects": ["deelnemers"],
        "data": ["contact", "werk", "interesse"],
        "recipients": ["verwerkers"],
        "processors": ["Hostingpartner", "E-mailserviceprovider"],
        "systems": ["crm", "mailplatform"],
        "retention_event": "until_opt_out",
        "retention_note": "Deelnamegegevens: tot zes maanden na afloop van de actie.",
        "data_source": "De deelnemer zelf",
        "provision_requirement": "voluntary",
        "provision_consequence": (
            "Zonder deze gegevens kun je niet meedoen aan de actie of prijsvraag."
        ),
        "request_kinds": MARKETING_KINDS,
    },
    "nieuwsbrieven": {
        "name": "Nieuwsbrieven",
        "purposes": (
            "De nieuwsbrief versturen, personaliseren en informatie op maat aanbieden; klikgedrag "
            "in en naar aanleiding van de nieuwsbrief om producten te verbeteren en gericht te "
            "adverteren."
        ),
        "legal_basis": "consent",
        "is_direct_marketing": True,
        "subjects": ["nieuwsbrief"],
        "data": ["contact", "interesse", "klik"],
        "recipients": ["verwerkers"],
        "processors": ["E-mailserviceprovider"],
        "systems": ["mailplatform"],
        "retention_event": "until_opt_out",
        "retention_note": "Een opt-in duurt voort totdat een opt-out is gegeven.",
        "data_source": "De ontvanger zelf, bij aanmelding (double opt-in)",
        "provision_requirement": "voluntary",
        "provision_consequence": "Zonder je e-mailadres kunnen wij je de nieuwsbrief niet sturen.",
        "request_kinds": MARKETING_KINDS,
    },
    "accounts": {
        "name": "Accounts: inloggen, abonneeherkenning, forum en verrijking",
        "purposes": (
            "Inloggen zonder opnieuw gegevens te registreren, herkennen als abonnee of "
            "nieuwsbriefontvanger (kortingen, afgeschermde delen), berichten op het forum, de "
            "website aan persoonlijke voorkeuren aanpassen."
        ),
        "legal_basis": "consent",
        "subjects": ["accounthouders", "abonnees"],
        "data": ["login", "forum", "interesse"],
        "recipients": ["verwerkers"],
        "processors": ["Hostingpartner"],
        "systems": ["accounts"],
        "retention_months": 24,
        "retention_event": "last_contact",
        "retention_note": "Account: tot twee jaar na de laatste login of na opzegging.",
        "data_source": "De accounthouder zelf; verrijking uit abonnee- en nieuwsbriefgegevens",
        "provision_requirement": "voluntary",
        "provision_consequence": "Zonder naam en e-mailadres kun je geen account aanmaken.",
        "public_text": (
            "Op sommige websites kunnen wij je inloggegevens verrijken met informatie die we "
            "krijgen door je gebruik van de website. Dan lichten we je daarover in voordat je een "
            "account aanmaakt, of vragen we je apart om toestemming als dat vereist is."
        ),
        "request_kinds": ALL_KINDS,
    },
    "accountanalyse": {
        "name": "Onderzoek en analyse van accountgegevens",
        "purposes": "Onderzoek en analyse ter verbetering van de dienstverlening.",
        "legal_basis": "legitimate_interest",
        "legitimate_interest": "Het belang van Rezulto om haar dienstverlening te verbeteren.",
        "balancing_note": "Analyse op groepsniveau; betrokkene kan bezwaar maken.",
        "subjects": ["accounthouders"],
        "data": ["login", "klik"],
        "recipients": ["verwerkers"],
        "processors": ["Hostingpartner"],
        "systems": ["accounts", "webanalytics"],
        "retention_months": 24,
        "retention_event": "collection",
        "data_source": "Het gebruik van het account",
        "provision_requirement": "not_provided",
        "request_kinds": ["access", "erasure", "restriction"],
    },
    "social-media": {
        "name": "Sociale media",
        "purposes": "Het bereik van artikelen analyseren (delen en 'likes') op sociale media.",
        "legal_basis": "legitimate_interest",
        "legitimate_interest": "Het belang van Rezulto om haar dienstverlening te verbeteren.",
        "balancing_note": "Alleen wat de platforms volgens de instellingen van de volger tonen.",
        "subjects": ["volgers"],
        "data": ["profiel"],
        "recipients": ["platforms"],
        "retention_months": 24,
        "retention_event": "collection",
        "data_source": (
            "Socialemediaplatforms (Facebook, X, Instagram, Pinterest, LinkedIn, YouTube)"
        ),
        "is_searchable_by_subject": False,
        "obtained_from_subject": False,
        "provision_requirement": "not_provided",
        "public_text": (
            "Welke profielgegevens wij zien, hangt af van je instellingen op het platform."
        ),
        "request_kinds": [],
    },
    "marktonderzoek": {
        "name": "Marktonderzoek",
        "purposes": (
            "Producten en diensten verbeteren op basis van marktonderzoek; resultaten zijn niet "
            "herleidbaar tot personen zonder hun toestemming."
        ),
        "legal_basis": "consent",
        "subjects": ["deelnemers"],
        "data": ["contact", "onderzoek"],
        "recipients": ["verwerkers"],
        "processors": ["Onderzoeksbureau"],
        "systems": ["onderzoekstool"],
        "retention_months": 12,
        "retention_event": "collection",
        "internal_note": "Werkkeuze: ruwe antwoorden tot een jaar na het onderzoek.",
        "data_source": "De deelnemer zelf",
        "provision_requirement": "voluntary",
        "provision_consequence": "Meedoen is vrijwillig; zonder je antwoorden doe je niet mee.",
        "public_text": (
            "Resultaten van marktonderzoeken zijn niet herleidbaar tot individuele personen, "
            "tenzij je daarvoor toestemming hebt gegeven."
        ),
        "request_kinds": ALL_KINDS,
    },
    "klantenservice": {
        "name": "Contact met de klantenservice",
        "purposes": (
            "Vragen afhandelen en later beter behulpzaam zijn; de gegevens ook gebruiken om "
            "producten en diensten te verbeteren."
        ),
        "legal_basis": "contract",
        "subjects": ["contacten", "klanten"],
        "data": ["contact", "werk", "correspondentie"],
        "recipients": ["verwerkers"],
        "processors": ["Hostingpartner"],
        "systems": ["klantenservice"],
        "retention_months": 24,
        "retention_event": "last_contact",
        "data_source": "De persoon zelf (e-mail, post, telefoon)",
        "provision_requirement": "voluntary",
        "provision_consequence": (
            "Zonder contactgegevens kunnen wij je vraag mogelijk niet beantwoorden of later niet "
            "op je contact terugkomen."
        ),
        "request_kinds": DATA_KINDS,
    },
    "klantenservice-verbetering": {
        "name": "Verbetering van producten op basis van klantcontact",
        "purposes": "Klantcontact gebruiken ter verbetering van producten en diensten.",
        "legal_basis": "legitimate_interest",
        "legitimate_interest": "Het belang van Rezulto om haar dienstverlening te verbeteren.",
        "balancing_note": "Alleen geaggregeerd en binnen de bewaartermijn van het klantcontact.",
        "subjects": ["contacten"],
        "data": ["correspondentie"],
        "recipients": [],
        "systems": ["klantenservice"],
        "retention_months": 24,
        "retention_event": "last_contact",
        "data_source": "Klantcontact",
        "is_searchable_by_subject": False,
        "provision_requirement": "not_provided",
        "request_kinds": [],
    },
    "marketing-email": {
        "name": "Marketing per e-mail aan klanten (soft opt-in)",
        "purposes": (
            "Klanten na een aankoop of abonnement per e-mail op de hoogte houden van "
            "gelijksoortige "
            "producten en diensten, tot twee jaar na de laatste aankoop of het einde van het "
            "abonnement (Telecommunicatiewet art. 11.7)."
        ),
        "legal_basis": "legitimate_interest",
        "legitimate_interest": (
            "Het belang van Rezulto bij het sturen van marketinginformatie aan bestaande klanten "
            "over gelijksoortige producten."
        ),
        "balancing_note": (
            "Alleen eigen gelijksoortige producten; afmelden bij verzameling en in elk bericht; "
            "vervalt twee jaar na de laatste aankoop."
        ),
        "is_direct_marketing": True,
        "subjects": ["klanten", "abonnees"],
        "data": ["contact", "interesse"],
        "recipients": ["verwerkers"],
        "processors": ["E-mailserviceprovider"],
        "systems": ["crm", "mailplatform"],
        "retention_months": 24,
        "retention_event": "last_purchase",
        "data_source": "Eigen klantgegevens",
        "provision_requirement": "not_provided",
        "request_kinds": MARKETING_KINDS,
    },
    "direct-mail": {
        "name": "Direct mail per post",
        "purposes": "Klanten per post informeren over nieuws, events en acties.",
        "legal_basis": "legitimate_interest",
        "legitimate_interest": "Het belang van Rezulto bij het sturen van marketinginformatie.",
        "balancing_note": "Afmelden kan altijd; verwerkt binnen twintig werkdagen.",
        "is_direct_marketing": True,
        "subjects": ["klanten"],
        "data": ["contact", "werk"],
        "recipients": ["verwerkers"],
        "processors": ["Verzendhuis"],
        "systems": ["crm"],
        "retention_event": "until_opt_out",
        "data_source": "Eigen klantgegevens",
        "provision_requirement": "not_provided",
        "request_kinds": MARKETING_KINDS,
    },
    "telemarketing": {
        "name": "Telemarketing",
        "purposes": "Klanten telefonisch informeren over producten, events en acties.",
        "legal_basis": "consent",
        "is_direct_marketing": True,
        "subjects": ["klanten"],
        "data": ["contact", "werk"],
        "recipients": ["verwerkers"],
        "processors": ["Belbureau"],
        "systems": ["crm"],
        "retention_event": "until_opt_out",
        "data_source": "Eigen klantgegevens",
        "provision_requirement": "not_provided",
        "request_kinds": MARKETING_KINDS,
    },
    "privacyverzoeken": {
        "name": "Afhandeling van privacyverzoeken",
        "purposes": (
            "Verzoeken van betrokkenen (inzage, correctie, verwijdering, beperking, "
            "overdraagbaarheid, bezwaar, intrekken toestemming) binnen de termijn afhandelen en "
            "kunnen aantonen dat dat is gebeurd."
        ),
        "legal_basis": "legal_obligation",
        "subjects": ["verzoekers"],
        "data": ["contact", "verzoek"],
        "recipients": [],
        "systems": ["privacy-office"],
        "retention_months": 24,
        "retention_event": "closure",
        "retention_note": "Twee jaar na afsluiting, daarna geminimaliseerd.",
        "data_source": "De verzoeker zelf",
        "provision_requirement": "voluntary",
        "provision_consequence": (
            "Zonder contactgegevens kunnen wij je verzoek niet beantwoorden; zonder bevestiging "
            "van je identiteit kunnen wij het niet uitvoeren."
        ),
        "request_kinds": ["access"],
    },
}
