"""Built-in role charters: a starting point the program owner edits."""

from execsponsor.users.models import Role

ROLE_CHARTERS = {
    Role.PROGRAM_OWNER: (
        "Owns the program charter; selects accounts; matches sponsors; runs the quarterly rebalance; "
        "reports to the executive team; holds sponsors accountable.",
        "Does not own customer relationships day to day.",
    ),
    Role.EXECUTIVE: (
        "Builds a trusted relationship with the customer's executive counterpart; meets on the agreed "
        "cadence; brings our leadership's view of the customer's strategy; escalates on the customer's behalf.",
        "Never replaces the AE and does not sell; does not make commercial commitments alone.",
    ),
    Role.ACCOUNT_EXECUTIVE: (
        "Owns the commercial relationship and the account strategy; aligns with the sponsor before every "
        "meeting; keeps opportunities and the relationship map true.",
        "Does not route around the sponsor to the customer's executives on program matters.",
    ),
    Role.CSM: (
        "Owns adoption and outcomes; keeps health, usage and the relationship map current; runs playbook tasks.",
        "Does not commit the sponsor's time without the AE and program owner.",
    ),
}
