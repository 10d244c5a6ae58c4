"""Bounces and automatic replies from real-looking files: what each says about our contacts."""

from pathlib import Path

import pytest

from execsponsor.signals.mail import UnreadableMail, read_messages, signals_from_message

MAIL = Path(__file__).resolve().parents[1] / "fixtures" / "mail"


def signals_in(name):
    return [s for m in read_messages(MAIL / name) for s in signals_from_message(m)]


@pytest.mark.parametrize(
    ("name", "recipient", "status"),
    [
        ("postfix-user-unknown.eml", "tomas.lindqvist@fjordbank.example", "5.1.1"),
        ("exim-failed.eml", "kenji.watanabe@sakura-denki.example", "5.0.0"),
        ("exchange-ndr.eml", "marta.kowalczyk@wisla-energia.example", "5.1.10"),
        ("gmail-bounce.eml", "sofia.rossi@lagunaverde.example", "5.1.1"),
    ],
)
def test_a_delivery_status_report_with_a_5xx_status_is_a_hard_bounce(name, recipient, status):
    (signal,) = signals_in(name)
    assert (signal.kind, signal.email) == ("hard_bounce", recipient)
    assert signal.detail.startswith(status + ":")


def test_a_delayed_delivery_is_a_soft_bounce():
    (signal,) = signals_in("postfix-delayed.eml")
    assert (signal.kind, signal.email) == ("soft_bounce", "ines.carvalho@atlantico-seguros.example")
    assert signal.detail.startswith("4.4.1")


def test_a_non_standard_qmail_bounce_is_read_by_the_fallback():
    (signal,) = signals_in("qmail-bounce.eml")
    assert (signal.kind, signal.email) == ("hard_bounce", "henrik.dahl@nordkyst-shipping.example")


@pytest.mark.parametrize(
    ("name", "sender"),
    [("ooo-en.eml", "grace.whitfield@harbourline.example"), ("ooo-de.eml", "lena.wagner@rheinwerk-ag.example")],
)
def test_an_ordinary_absence_is_out_of_office_and_names_no_successor(name, sender):
    (signal,) = signals_in(name)
    assert (signal.kind, signal.email, signal.successor_email) == ("out_of_office", sender, "")


@pytest.mark.parametrize(
    ("name", "sender", "successor", "successor_name"),
    [
        ("left-en.eml", "michael.osei@harbourline.example", "rachel.ng@harbourline.example", "Rachel Ng"),
        (
            "left-de.eml",
            "stefan.hoffmann@rheinwerk-ag.example",
            "klara.zimmermann@rheinwerk-ag.example",
            "Klara Zimmermann",
        ),
        (
            "left-fr.eml",
            "amelie.dubois@groupe-lumiere.example",
            "julien.moreau@groupe-lumiere.example",
            "Julien Moreau",
        ),
        (
            "left-pt.eml",
            "joao.ferreira@atlantico-seguros.example",
            "beatriz.lima@atlantico-seguros.example",
            "Beatriz Lima",
        ),
        ("left-es.eml", "carmen.ortega@lagunaverde.example", "pablo.ruiz@lagunaverde.example", "Pablo Ruiz"),
        ("left-ja.eml", "taro.yamada@sakura-denki.example", "hanako.sato@sakura-denki.example", "Hanako Sato"),
    ],
)
def test_a_reply_saying_they_left_is_a_departure_notice_with_the_successor(name, sender, successor, successor_name):
    (signal,) = signals_in(name)
    assert (signal.kind, signal.email, signal.successor_email) == ("departure_notice", sender, successor)
    assert signal.successor_name == successor_name


def test_a_departure_notice_that_names_the_new_company():
    (signal,) = signals_in("left-es.eml")
    assert signal.new_company == "Cordillera Minerals S.A."


def test_an_mbox_mixing_bounces_and_replies():
    kinds = [(s.kind, s.email) for s in signals_in("mixed.mbox")]
    assert kinds == [
        ("hard_bounce", "tomas.lindqvist@fjordbank.example"),
        ("soft_bounce", "ines.carvalho@atlantico-seguros.example"),
        ("out_of_office", "grace.whitfield@harbourline.example"),
        ("departure_notice", "michael.osei@harbourline.example"),
        ("hard_bounce", "henrik.dahl@nordkyst-shipping.example"),
    ]


def test_ordinary_mail_says_nothing():
    assert signals_in("newsletter.eml") == []


def test_garbage_is_refused_with_a_reason():
    with pytest.raises(UnreadableMail, match="not an email message or an mbox"):
        read_messages(MAIL / "garbage.eml")


def test_a_broken_delivery_report_is_reported_not_raised(tmp_path):
    broken = tmp_path / "broken.eml"
    broken.write_text(
        "From: MAILER-DAEMON@x.example\nSubject: Undelivered Mail\nDate: not a date\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\n\n'
        "--b\nContent-Type: message/delivery-status\n\n\x00\x00garbage\n--b--\n"
    )
    result = [s for m in read_messages(broken) for s in signals_from_message(m)]
    assert all(s.kind in {"unreadable", "hard_bounce", "soft_bounce"} for s in result)
