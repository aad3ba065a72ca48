"""The settings dialog: providers (NPI check digit), payers, dated fees, defaults, backup."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from core.coding.model import LesionKind
from gui.main_window import MainWindow
from gui.settings_dialog import SettingsDialog
from tests.gui.conftest import FakeDialogs, named, open_first_patient, quick_enter, sign_in_window, table_rows


def open_settings(qtbot: QtBot, window: MainWindow) -> SettingsDialog:
    qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    dialog = window.findChild(SettingsDialog, "settingsDialog")
    assert dialog is not None and dialog.isVisible()
    return dialog  # a child of the window: it goes with it


def click(qtbot: QtBot, parent: QWidget, name: str) -> None:
    qtbot.mouseClick(named(parent, name), Qt.MouseButton.LeftButton)


def retype(qtbot: QtBot, parent: QWidget, name: str, text: str) -> None:
    widget = named(parent, name)
    widget.clear()
    qtbot.keyClicks(widget, text)


def test_provider_npi_check_digit(qtbot: QtBot, window: MainWindow) -> None:
    dialog = open_settings(qtbot, window)
    click(qtbot, dialog, "newProviderButton")
    retype(qtbot, dialog, "providerFirstName", "Grace")
    retype(qtbot, dialog, "providerLastName", "Hopper")
    retype(qtbot, dialog, "providerCredentials", "MD")
    retype(qtbot, dialog, "providerNpi", "1234567890")
    assert "check digit" in named(dialog, "providerNpiProblem").text()
    click(qtbot, dialog, "saveProviderButton")
    assert "check digit" in named(dialog, "providerMessage").text()
    retype(qtbot, dialog, "providerNpi", "1112223338")
    assert named(dialog, "providerNpiProblem").text() == ""
    click(qtbot, dialog, "saveProviderButton")
    assert "saved" in named(dialog, "providerMessage").text()
    combo = named(window, "encounterProvider")
    assert combo.findText("Grace Hopper, MD") >= 0


def test_payer_added_shows_in_the_patient_form(qtbot: QtBot, window: MainWindow) -> None:
    dialog = open_settings(qtbot, window)
    click(qtbot, dialog, "newPayerButton")
    retype(qtbot, dialog, "payerName", "Acme Health")
    click(qtbot, dialog, "savePayerButton")
    assert "saved" in named(dialog, "payerMessage").text()
    click(qtbot, window, "newPatientButton")
    assert named(window, "patientPayer").findText("Acme Health") >= 0


def test_a_new_fee_applies_from_its_date(qtbot: QtBot, window: MainWindow) -> None:
    open_first_patient(qtbot, window)
    quick_enter(qtbot, window, "1 ak face")
    before = table_rows(named(window, "codedLinesTable"))[0][5]
    dialog = open_settings(qtbot, window)
    fee_cpt = named(dialog, "feeCpt")
    fee_cpt.setCurrentIndex(fee_cpt.findData("17000"))
    retype(qtbot, dialog, "feeAmount", "12x")
    click(qtbot, dialog, "setFeeButton")
    assert "not an amount" in named(dialog, "feeMessage").text()
    retype(qtbot, dialog, "feeAmount", "321.50")
    named(dialog, "feeEffectiveFrom").setDate(named(dialog, "feeEffectiveFrom").date().addDays(1))
    click(qtbot, dialog, "setFeeButton")
    assert "$321.50" in named(dialog, "feeMessage").text()
    # today's visit keeps today's fee; a visit tomorrow gets the new one
    assert window.store.fee_for("17000", window.day()) != 32150
    assert window.store.fee_for("17000", window.day() + timedelta(days=1)) == 32150
    quick_enter(qtbot, window, "1 ak scalp")
    assert table_rows(named(window, "codedLinesTable"))[0][5] == before


def test_defaults_change_what_quick_entry_fills_in(qtbot: QtBot, window: MainWindow) -> None:
    dialog = open_settings(qtbot, window)
    retype(qtbot, dialog, "defaultDiagnosis_premalignant", "L57")
    click(qtbot, dialog, "saveDefaultsButton")
    assert (
        "not a billable code" in named(dialog, "defaultsMessage").text()
        or "category" in named(dialog, "defaultsMessage").text()
    )
    retype(qtbot, dialog, "defaultDiagnosis_premalignant", "L57.8")
    method = named(dialog, "defaultMethod_premalignant")
    method.setCurrentIndex(method.findData("laser"))
    click(qtbot, dialog, "saveDefaultsButton")
    assert named(dialog, "defaultsMessage").text() == "Defaults saved."
    practice = window.store.practice()
    assert practice.default_diagnoses[LesionKind.PREMALIGNANT] == "L57.8"
    open_first_patient(qtbot, window)
    quick_enter(qtbot, window, "2 pre face")  # a kind word: the practice's default diagnosis
    assert table_rows(named(window, "lesionTable"))[0][3:] == ["laser", "", "L57.8"]
    quick_enter(qtbot, window, "2 ak face")  # the type actinic keratosis: its own code, never the default
    assert table_rows(named(window, "lesionTable"))[1][3:] == ["laser", "", "L57.0"]


def test_backup_now_writes_a_copy(
    qtbot: QtBot, window: MainWindow, fake_dialogs: FakeDialogs, tmp_path: Path
) -> None:
    dialog = open_settings(qtbot, window)
    target = tmp_path / "copy.db"
    fake_dialogs.answers["save_file"].append(target)
    click(qtbot, dialog, "backupNowButton")
    assert target.exists()
    assert fake_dialogs.kinds()[-1] == "inform"


def test_restore_brings_back_the_backup(
    qtbot: QtBot, window: MainWindow, fake_dialogs: FakeDialogs, tmp_path: Path
) -> None:
    target = tmp_path / "copy.db"
    fake_dialogs.answers["save_file"].append(target)
    window.backup_now()
    open_first_patient(qtbot, window)
    quick_enter(qtbot, window, "2 ak face")
    assert len(table_rows(named(window, "dayTable"))) == 1
    dialog = open_settings(qtbot, window)
    fake_dialogs.answers["open_file"].append(target)
    fake_dialogs.answers["ask"].append(True)
    click(qtbot, dialog, "restoreButton")
    assert window.findChild(QLineEdit, "signInPassword").isVisible()  # the backup's people sign in
    sign_in_window(qtbot, window)
    assert table_rows(named(window, "dayTable")) == []
    assert fake_dialogs.kinds()[-1] == "inform"
    # the window keeps working on the restored database
    open_first_patient(qtbot, window)
    quick_enter(qtbot, window, "3 ak face")
    assert len(table_rows(named(window, "dayTable"))) == 1


def test_settings_open_once(qtbot: QtBot, window: MainWindow) -> None:
    first = open_settings(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    assert window.findChildren(SettingsDialog) == [first]
    first.close()  # closing deletes it
    qtbot.waitUntil(lambda: window.findChildren(SettingsDialog) == [])
    assert window.settings_dialog is None
    window.activateWindow()  # a window manager gives focus back; offscreen Qt needs asking
    qtbot.waitUntil(window.isActiveWindow)
    open_settings(qtbot, window)
    assert len(window.findChildren(SettingsDialog)) == 1


def test_the_default_provider_is_chosen_by_name(qtbot: QtBot, window: MainWindow) -> None:
    from core.store.records import Provider

    grace = window.store.save_provider(Provider("Grace", "Hopper", "1112223338", credentials="MD"))
    dialog = open_settings(qtbot, window)
    combo = named(dialog, "setting_default_provider_id")
    combo.setCurrentIndex(combo.findText("Grace Hopper, MD"))
    click(qtbot, dialog, "saveDefaultsButton")
    assert window.store.setting("default_provider_id") == grace.id
    open_first_patient(qtbot, window)
    assert named(window, "encounterProvider").currentText() == "Grace Hopper, MD"


def test_payer_id_and_claims_address_are_edited_with_problems_by_the_field(
    qtbot: QtBot, window: MainWindow
) -> None:
    dialog = open_settings(qtbot, window)
    dialog.tabs.setCurrentWidget(named(dialog, "payerList").parentWidget())
    click(qtbot, dialog, "newPayerButton")
    retype(qtbot, dialog, "payerName", "Noridian")
    retype(qtbot, dialog, "payerClaimsId", "01112")
    retype(qtbot, dialog, "payerClaimsAddress1", "PO Box 6701")
    retype(qtbot, dialog, "payerClaimsAddress2", "Attn: Part B claims")
    retype(qtbot, dialog, "payerClaimsCity", "Fargo")
    retype(qtbot, dialog, "payerClaimsState", "N1")
    retype(qtbot, dialog, "payerClaimsZip", "58108")
    click(qtbot, dialog, "savePayerButton")
    assert "state" in named(dialog, "payerMessage").text()
    assert dialog.focusWidget() is named(dialog, "payerClaimsState")
    retype(qtbot, dialog, "payerClaimsState", "nd")
    retype(qtbot, dialog, "payerClaimsZip", "5810")
    click(qtbot, dialog, "savePayerButton")
    assert "ZIP" in named(dialog, "payerMessage").text()
    assert dialog.focusWidget() is named(dialog, "payerClaimsZip")
    retype(qtbot, dialog, "payerClaimsZip", "58108-6701")
    click(qtbot, dialog, "savePayerButton")
    assert named(dialog, "payerMessage").text() == "Noridian saved."
    (saved,) = [p for p in window.store.payers() if p.name == "Noridian"]
    assert (saved.payer_id, saved.claims_address1, saved.claims_address2) == (
        "01112",
        "PO Box 6701",
        "Attn: Part B claims",
    )
    assert (saved.claims_city, saved.claims_state, saved.claims_zip) == ("Fargo", "ND", "58108-6701")

    click(qtbot, dialog, "newPayerButton")  # a new payer starts empty
    assert named(dialog, "payerClaimsAddress1").text() == named(dialog, "payerClaimsZip").text() == ""
    payers = named(dialog, "payerList")
    (item,) = payers.findItems("Noridian", Qt.MatchFlag.MatchStartsWith)
    # clicking it again shows what was saved
    qtbot.mouseClick(payers.viewport(), Qt.MouseButton.LeftButton, pos=payers.visualItemRect(item).center())
    assert named(dialog, "payerClaimsCity").text() == "Fargo"
    assert named(dialog, "payerClaimsState").text() == "ND"


def test_provider_taxonomy_is_saved_and_a_refusal_puts_the_cursor_in_its_field(
    qtbot: QtBot, window: MainWindow
) -> None:
    dialog = open_settings(qtbot, window)
    dialog.tabs.setCurrentWidget(named(dialog, "providerList").parentWidget())
    providers = named(dialog, "providerList")
    providers.setCurrentRow(0)  # the demo provider
    retype(qtbot, dialog, "providerTaxonomy", "207n00000x")
    retype(qtbot, dialog, "providerFirstName", "")
    click(qtbot, dialog, "saveProviderButton")
    assert "first name" in named(dialog, "providerMessage").text()
    assert dialog.focusWidget() is named(dialog, "providerFirstName")
    retype(qtbot, dialog, "providerFirstName", "Dana")
    click(qtbot, dialog, "saveProviderButton")
    assert "saved" in named(dialog, "providerMessage").text()
    assert window.store.default_provider().taxonomy == "207N00000X"
