"""What a gone app leaves behind, and a stand-in for the recovery question."""


def leave_orphan(trainer, closed_by_system=False, name="20260101-000000-1-abcdef"):
    """What an app that is gone leaves in the autosave folder: its experiment and how it
    ended (no live lock). Returns the experiment's path."""
    import json

    from nnvis.app.recovery import default_folder
    from nnvis.core.persistence import save_experiment

    folder = default_folder()
    folder.mkdir(parents=True, exist_ok=True)
    save_experiment(folder / f"{name}.nnvis", trainer)
    state = "closed_by_system" if closed_by_system else "running"
    (folder / f"{name}.json").write_text(json.dumps({"state": state}))
    return folder / f"{name}.nnvis"


class Questions:
    """Stands in for the recovery question: records each text asked, answers ``answer``
    (a QMessageBox.StandardButton)."""

    def __init__(self, monkeypatch, answer):
        from PySide6.QtWidgets import QMessageBox

        self.asked = []
        questions = self

        def exec_(box):
            questions.asked.append(box.text())
            return answer

        monkeypatch.setattr(QMessageBox, "exec", exec_)
