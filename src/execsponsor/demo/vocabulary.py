"""Words the demo company is made of: multilingual names, companies, titles and subjects.

Every list is fixed and ordered, so choosing from it with a seeded generator is deterministic.
Names carry their accents; `ascii_slug` gives the e-mail friendly form.
"""

from __future__ import annotations

import unicodedata

# fmt: off
# Locale -> (given names, family names). Japanese names are "漢字|romaji" so e-mails stay ASCII.
PEOPLE: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "en": (
        ("James", "Olivia", "Michael", "Emma", "Robert", "Sophia", "David", "Charlotte", "William", "Amelia",
         "Daniel", "Harper", "Matthew", "Evelyn", "Andrew", "Abigail", "Joshua", "Grace", "Ryan", "Chloe",
         "Nathan", "Hannah", "Samuel", "Lily", "Benjamin", "Zoe", "Thomas", "Megan", "Christopher", "Rachel"),
        ("Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson", "Taylor",
         "Moore", "Thompson", "White", "Harris", "Clark", "Lewis", "Walker", "Hall", "Young", "King",
         "Wright", "Scott", "Green", "Baker", "Adams", "Nelson", "Carter", "Mitchell", "Roberts", "Campbell",
         "O'Brien", "MacLeod", "Patel", "Nguyen", "Okafor", "Kowalski"),
    ),
    "de": (
        ("Jürgen", "Anna", "Lukas", "Lena", "Matthias", "Sophie", "Stefan", "Katharina", "Maximilian", "Julia",
         "Björn", "Marie", "Sebastian", "Hannah", "Tobias", "Leonie", "Florian", "Franziska", "Jörg", "Miriam",
         "Dominik", "Sabine", "Uwe", "Annika", "Moritz", "Jana"),
        ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann",
         "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann",
         "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Weiß", "Köhler", "Maier", "Groß", "Jäger"),
    ),
    "fr": (
        ("Amélie", "Benoît", "Céline", "Étienne", "Hélène", "François", "Élodie", "Jérôme", "Léa", "Thibault",
         "Chloé", "Mathéo", "Inès", "Gaël", "Noémie", "Loïc", "Manon", "Rémi", "Clémence", "Sébastien",
         "Zoé", "Adrien", "Camille", "Théo"),
        ("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
         "Lefèvre", "Fournier", "Girard", "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent",
         "Mercier", "Lefèbvre", "Chevalier", "Gauthier", "Perrin", "Barbier", "Brun", "Roux", "Faure"),
    ),
    "ja": (
        ("健|Ken", "陽子|Yoko", "大輔|Daisuke", "美咲|Misaki", "拓也|Takuya", "由美|Yumi", "翔太|Shota",
         "愛|Ai", "直樹|Naoki", "恵|Megumi", "浩二|Koji", "彩|Aya", "誠|Makoto", "真由美|Mayumi",
         "隆|Takashi", "さくら|Sakura", "亮|Ryo", "香織|Kaori", "修|Osamu", "菜々子|Nanako"),
        ("佐藤|Sato", "鈴木|Suzuki", "高橋|Takahashi", "田中|Tanaka", "伊藤|Ito", "渡辺|Watanabe",
         "山本|Yamamoto", "中村|Nakamura", "小林|Kobayashi", "加藤|Kato", "吉田|Yoshida", "山田|Yamada",
         "佐々木|Sasaki", "松本|Matsumoto", "井上|Inoue", "木村|Kimura", "林|Hayashi", "清水|Shimizu",
         "山口|Yamaguchi", "森|Mori"),
    ),
    "pt": (
        ("João", "Maria", "José", "Ana", "Gonçalo", "Beatriz", "Luís", "Fernanda", "Antônio", "Letícia",
         "Sebastião", "Mariana", "Caio", "Júlia", "Thiago", "Larissa", "Rafael", "Gabriela", "Vinícius",
         "Camila", "Renato", "Patrícia", "Otávio", "Luíza"),
        ("Silva", "Santos", "Oliveira", "Souza", "Rodrigues", "Ferreira", "Alves", "Pereira", "Lima", "Gomes",
         "Conceição", "Ribeiro", "Carvalho", "Araújo", "Simões", "Magalhães", "Assunção", "Guimarães",
         "Gonçalves", "Brandão", "Falcão", "Damião", "Fonseca", "Barros"),
    ),
    "es": (
        ("Alejandro", "Lucía", "Javier", "Sofía", "Martín", "Valentina", "Raúl", "Carmen", "Andrés", "Paula",
         "Íñigo", "Elena", "Álvaro", "María José", "Sergio", "Begoña", "Diego", "Nerea", "Tomás", "Ainhoa"),
        ("García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez", "Gómez",
         "Martín", "Jiménez", "Ruiz", "Hernández", "Díaz", "Muñoz", "Álvarez", "Romero", "Castaño", "Ibáñez",
         "Núñez", "Peña", "Ortiz"),
    ),
    "nordic": (
        ("Åsa", "Björn", "Sigrid", "Lars", "Ingrid", "Mikael", "Linnéa", "Søren", "Maja", "Erik", "Astrid",
         "Nils", "Freja", "Jesper", "Sanna", "Oskar"),
        ("Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Jørgensen", "Hansen",
         "Pedersen", "Lindqvist", "Bergström", "Sjöberg", "Åberg", "Söderström", "Nyström", "Østergaard"),
    ),
    "in": (
        ("Aarav", "Priya", "Rohan", "Ananya", "Vikram", "Kavya", "Arjun", "Diya", "Rahul", "Sneha", "Aditya",
         "Meera", "Karthik", "Pooja", "Siddharth", "Lakshmi"),
        ("Sharma", "Iyer", "Reddy", "Nair", "Gupta", "Mehta", "Kapoor", "Rao", "Menon", "Banerjee", "Chopra",
         "Desai", "Joshi", "Krishnan", "Pillai", "Bhattacharya"),
    ),
}

# Country, region, locale, time zone, top-level domain, weight of accounts there.
COUNTRIES: tuple[tuple[str, str, str, str, str, float], ...] = (
    ("United States", "North America", "en", "America/New_York", "com", 0.30),
    ("Canada", "North America", "en", "America/Toronto", "ca", 0.04),
    ("United Kingdom", "EMEA", "en", "Europe/London", "co.uk", 0.08),
    ("Germany", "EMEA", "de", "Europe/Berlin", "de", 0.09),
    ("Austria", "EMEA", "de", "Europe/Vienna", "at", 0.02),
    ("Switzerland", "EMEA", "de", "Europe/Zurich", "ch", 0.02),
    ("France", "EMEA", "fr", "Europe/Paris", "fr", 0.07),
    ("Spain", "EMEA", "es", "Europe/Madrid", "es", 0.03),
    ("Sweden", "EMEA", "nordic", "Europe/Stockholm", "se", 0.02),
    ("Denmark", "EMEA", "nordic", "Europe/Copenhagen", "dk", 0.02),
    ("Japan", "APAC", "ja", "Asia/Tokyo", "co.jp", 0.08),
    ("India", "APAC", "in", "Asia/Kolkata", "in", 0.04),
    ("Australia", "APAC", "en", "Australia/Sydney", "com.au", 0.03),
    ("Brazil", "LATAM", "pt", "America/Sao_Paulo", "com.br", 0.07),
    ("Mexico", "LATAM", "es", "America/Mexico_City", "com.mx", 0.04),
    ("Argentina", "LATAM", "es", "America/Argentina/Buenos_Aires", "com.ar", 0.02),
    ("Portugal", "EMEA", "pt", "Europe/Lisbon", "pt", 0.01),
    ("Singapore", "APAC", "en", "Asia/Singapore", "sg", 0.02),
)

REGIONS = ("North America", "EMEA", "APAC", "LATAM")
LANGUAGE_OF_LOCALE = {
    "en": "en", "de": "de", "fr": "fr", "ja": "ja", "pt": "pt", "es": "es", "nordic": "sv", "in": "hi",
}

INDUSTRIES = (
    "Financial Services", "Healthcare", "Manufacturing", "Retail", "Technology", "Telecommunications",
    "Energy & Utilities", "Logistics", "Insurance", "Public Sector", "Life Sciences", "Media",
)

# Company name stems per locale, and industry words per locale; combined with a legal suffix.
COMPANY_STEMS: dict[str, tuple[str, ...]] = {
    "en": ("Northwind", "Bluewater", "Summit", "Redwood", "Ironbridge", "Harborview", "Crescent", "Silverline",
           "Granite", "Evergreen", "Lakeshore", "Pinecrest", "Brightpath", "Keystone", "Westfield", "Oakridge",
           "Cobalt", "Meridian", "Atlas", "Beacon", "Sterling", "Horizon", "Cascade", "Pioneer"),
    "de": ("Rheinwerk", "Alpen", "Nordstern", "Süderelbe", "Schwarzwald", "Isartal", "Hanse", "Bodensee",
           "Müller & Söhne", "Weißenfels", "Löwenbräu", "Kronberg", "Eisenach", "Brückner", "Falkenstein"),
    "fr": ("Lumière", "Rhône-Alpes", "Bellevue", "Étoile", "Côte d'Azur", "Montclair", "Sainte-Hélène",
           "Beaulieu", "Garonne", "Mistral", "Châteauneuf", "Verrière", "Loire"),
    "ja": ("Sakura", "Fuji", "Hinode", "Kōyō", "Yamato", "Shinsei", "Tōhoku", "Asahi", "Kaigan", "Midori",
           "Daiichi", "Seiryū"),
    "pt": ("São Jorge", "Paulista", "Ipê", "Guanabara", "Araucária", "Serra Azul", "Jequitibá", "Boa Vista",
           "Vale do Paraíba", "Iguaçu", "Ceará", "Tocantins"),
    "es": ("Andaluz", "Cantábrico", "Sierra Nevada", "Castellana", "Monterrey", "Pampa", "Río de la Plata",
           "Alborán", "Peñalara", "Azteca", "Ibérica"),
    "nordic": ("Fjällström", "Nordkap", "Øresund", "Vänern", "Skåne", "Midgård", "Fyrtårn", "Älvsborg"),
    "in": ("Sahyadri", "Ganga", "Vindhya", "Kaveri", "Narmada", "Deccan", "Himalaya", "Konkan"),
}

INDUSTRY_WORDS: dict[str, dict[str, str]] = {
    "en": {"Financial Services": "Capital", "Healthcare": "Health", "Manufacturing": "Industries",
           "Retail": "Retail", "Technology": "Systems", "Telecommunications": "Telecom",
           "Energy & Utilities": "Energy", "Logistics": "Logistics", "Insurance": "Insurance",
           "Public Sector": "Authority", "Life Sciences": "Biosciences", "Media": "Media"},
    "de": {"Financial Services": "Bank", "Healthcare": "Kliniken", "Manufacturing": "Maschinenbau",
           "Retail": "Handel", "Technology": "Software", "Telecommunications": "Telekom",
           "Energy & Utilities": "Energie", "Logistics": "Logistik", "Insurance": "Versicherung",
           "Public Sector": "Stadtwerke", "Life Sciences": "Pharma", "Media": "Medien"},
    "fr": {"Financial Services": "Banque", "Healthcare": "Santé", "Manufacturing": "Industrie",
           "Retail": "Distribution", "Technology": "Numérique", "Telecommunications": "Télécom",
           "Energy & Utilities": "Énergie", "Logistics": "Transports", "Insurance": "Assurances",
           "Public Sector": "Métropole", "Life Sciences": "Pharmaceutique", "Media": "Médias"},
    "ja": {"Financial Services": "Ginkō", "Healthcare": "Iryō", "Manufacturing": "Seimitsu",
           "Retail": "Shōji", "Technology": "Jōhō System", "Telecommunications": "Tsūshin",
           "Energy & Utilities": "Denryoku", "Logistics": "Unyu", "Insurance": "Hoken",
           "Public Sector": "Kōsha", "Life Sciences": "Seiyaku", "Media": "Shuppan"},
    "pt": {"Financial Services": "Banco", "Healthcare": "Saúde", "Manufacturing": "Indústrias",
           "Retail": "Varejo", "Technology": "Tecnologia", "Telecommunications": "Telecomunicações",
           "Energy & Utilities": "Energia", "Logistics": "Logística", "Insurance": "Seguros",
           "Public Sector": "Companhia Municipal", "Life Sciences": "Farmacêutica", "Media": "Comunicação"},
    "es": {"Financial Services": "Banca", "Healthcare": "Salud", "Manufacturing": "Industrias",
           "Retail": "Comercial", "Technology": "Tecnología", "Telecommunications": "Telecomunicaciones",
           "Energy & Utilities": "Energía", "Logistics": "Logística", "Insurance": "Seguros",
           "Public Sector": "Ayuntamiento", "Life Sciences": "Farmacéutica", "Media": "Medios"},
    "nordic": {"Financial Services": "Bank", "Healthcare": "Vård", "Manufacturing": "Industri",
               "Retail": "Handel", "Technology": "Data", "Telecommunications": "Tele",
               "Energy & Utilities": "Kraft", "Logistics": "Logistik", "Insurance": "Försäkring",
               "Public Sector": "Kommun", "Life Sciences": "Pharma", "Media": "Media"},
    "in": {"Financial Services": "Finance", "Healthcare": "Healthcare", "Manufacturing": "Engineering",
           "Retail": "Retail", "Technology": "Infotech", "Telecommunications": "Telecom",
           "Energy & Utilities": "Power", "Logistics": "Logistics", "Insurance": "Insurance",
           "Public Sector": "Corporation", "Life Sciences": "Pharma", "Media": "Media"},
}

LEGAL_SUFFIXES: dict[str, tuple[str, ...]] = {
    "en": ("Inc.", "Group", "Corp.", "plc", "Ltd.", "Holdings"),
    "de": ("GmbH", "AG", "SE", "GmbH & Co. KG"),
    "fr": ("SA", "SAS", "Groupe"),
    "ja": ("K.K.", "Co., Ltd.", "Holdings"),
    "pt": ("Ltda.", "S.A.", "Grupo"),
    "es": ("S.A.", "S.L.", "Grupo"),
    "nordic": ("AB", "A/S", "ASA"),
    "in": ("Ltd.", "Pvt. Ltd.", "Group"),
}

DEPARTMENTS = (
    "IT", "Finance", "Operations", "Sales", "Marketing", "Human Resources", "Engineering", "Procurement",
    "Customer Service", "Legal",
)
# Per department: C-level title, decision orientation most typical there.
C_LEVEL_TITLES = {
    "IT": "Chief Information Officer", "Finance": "Chief Financial Officer", "Operations": "Chief Operating Officer",
    "Sales": "Chief Revenue Officer", "Marketing": "Chief Marketing Officer", "Human Resources": "Chief People Officer",
    "Engineering": "Chief Technology Officer", "Procurement": "Chief Procurement Officer",
    "Customer Service": "Chief Customer Officer", "Legal": "General Counsel",
}
DEPARTMENT_ORIENTATION = {
    "IT": "technical", "Finance": "financial", "Operations": "business", "Sales": "relationship",
    "Marketing": "business", "Human Resources": "relationship", "Engineering": "technical",
    "Procurement": "financial", "Customer Service": "relationship", "Legal": "financial",
}
INDIVIDUAL_TITLES = {
    "IT": "Systems Analyst", "Finance": "Financial Analyst", "Operations": "Operations Specialist",
    "Sales": "Sales Operations Analyst", "Marketing": "Marketing Specialist", "Human Resources": "HR Business Partner",
    "Engineering": "Senior Engineer", "Procurement": "Category Buyer", "Customer Service": "Service Lead",
    "Legal": "Contracts Counsel",
}

CAPABILITY_AREAS = (
    "Analytics", "Data Platform", "Security", "Integration", "Workflow Automation", "AI Assistants",
    "Customer Portal", "Billing", "Mobile", "Compliance",
)

CUSTOMER_GOALS = (
    "Cut order-to-cash cycle time by 20%", "Consolidate three regional systems onto one platform",
    "Launch a self-service portal for business customers", "Reach SOC 2 and ISO 27001 across all subsidiaries",
    "Grow digital revenue to 30% of total", "Reduce customer churn below 8%",
    "Automate month-end close", "Expand into two new markets next fiscal year",
    "Give field teams real-time inventory on mobile", "Replace the legacy data warehouse",
)
PAIN_POINTS = (
    "Reporting takes days and numbers disagree between regions", "Too many manual hand-offs between teams",
    "Security reviews slow every rollout", "Adoption stalled after the first business unit",
    "Integration with the ERP breaks at every upgrade", "Executive sponsor on their side changed last year",
    "Budget scrutiny from a new CFO", "Support response times were a complaint at the last QBR",
)
STRATEGY_TEMPLATES = (
    "Land-and-expand: prove value in {area} with the {dept} team, then take it group-wide.",
    "Protect the renewal: fix the {area} rollout issues and rebuild trust with {dept}.",
    "Executive alignment on their {goal} goal; position {area} as the way to get there.",
    "Consolidate their spend: replace two point tools with our {area} offering.",
    "Grow the footprint into {dept} with {area}; build a second champion outside IT.",
)

OBJECTIVE_TITLES = (
    "Agree a joint success plan for the renewal", "Executive alignment on the three-year roadmap",
    "Unblock the security review", "Expand into a second business unit", "Present the value delivered to the board",
    "Restore confidence after the outage", "Open a conversation with the new CFO", "Co-present at their customer event",
)
CHARTER_OBJECTIVES = (
    "Build a trusted peer relationship with {counterpart}; understand their priorities for the next 18 months.",
    "Help {counterpart} land the {area} programme; make sure we deliver what was promised.",
    "Be {counterpart}'s escalation point for us and bring our product leadership into their planning.",
)
CHARTER_EXPECTATIONS = (
    "Meet every two weeks; a quarterly business review with both leadership teams.",
    "A monthly call plus an in-person meeting each quarter; the AE prepares every meeting with the sponsor.",
)
CUSTOMER_COMMITMENTS = (
    "Share their roadmap and give early feedback on ours.",
    "Sponsor a reference call once the rollout is live.",
    "Involve us in the next planning cycle before any RFP.",
)

# Engagement subjects per kind; "{topic}" is filled in from TOPICS.
SUBJECTS = {
    "meeting": ("Working session on {topic}", "{topic} roadmap review", "Account planning: {topic}",
                "Onsite visit – {topic}"),
    "call": ("Check-in call", "Call about {topic}", "Follow-up on {topic}", "Escalation call: {topic}"),
    "dinner": ("Dinner with the leadership team", "Executive dinner – {topic}"),
    "event": ("Customer summit", "Industry roundtable on {topic}", "User group meeting"),
    "qbr": ("Quarterly business review", "Executive business review"),
    "email": ("Re: {topic}", "Proposal for {topic}", "Notes from our meeting", "Re: next steps"),
    "task": ("Sent the {topic} briefing", "Prepared account plan", "Logged renewal risk"),
}
TOPICS = (
    "renewal", "roadmap", "security", "data migration", "pricing", "adoption", "integration", "AI pilot",
    "support", "expansion", "compliance", "budget",
)

OPPORTUNITY_STAGES = ("Prospecting", "Qualification", "Proposal", "Negotiation", "Closed Won", "Closed Lost")
OPPORTUNITY_KINDS = ("New business", "Expansion", "Renewal")

OUR_TITLES = {
    "account_executive": ("Account Executive", "Senior Account Executive", "Enterprise Account Executive"),
    "csm": ("Customer Success Manager", "Senior Customer Success Manager"),
    "admin": ("Systems Administrator",),
    "program_owner": ("Director, Executive Sponsor Program", "Chief Customer Officer"),
    "viewer": ("Chief Financial Officer", "VP Strategy", "Chief of Staff"),
}

# fmt: on


def split_name(value: str) -> tuple[str, str]:
    """A pool entry as (display form, ASCII form)."""
    if "|" in value:
        display, ascii_form = value.split("|", 1)
        return display, ascii_form
    return value, value


def ascii_slug(value: str, *, sep: str = "") -> str:
    """ASCII, lower case, letters and digits only: 'Jürgen Müller' -> 'jurgenmuller'."""
    plain = unicodedata.normalize("NFKD", value.replace("ß", "ss").replace("ø", "o").replace("Ø", "O"))
    plain = plain.encode("ascii", "ignore").decode().lower()
    words = "".join(ch if ch.isalnum() else " " for ch in plain).split()
    return sep.join(words)
