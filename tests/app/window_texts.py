"""What a user can read in a main window: every text of every widget, menu and plot."""
import re


def visible_texts(w):
    """Every text of the main window a user can read, with where it is."""
    import pyqtgraph as pg
    from PySide6.QtWidgets import (QAbstractButton, QComboBox, QDockWidget, QLabel, QMenu,
                                   QWidget)

    def plain(t):
        return re.sub(r"<[^>]*>", " ", t or "").replace("&nbsp;", " ").replace("&amp;", "&")

    out = [("window title", w.windowTitle())]
    for b in w.findChildren(QAbstractButton):
        out.append((f"button {b.objectName() or type(b).__name__}", b.text()))
    for lab in w.findChildren(QLabel):
        out.append(("label", plain(lab.text())))
    for m in w.findChildren(QMenu):
        out.append(("menu", m.title()))
        out += [("menu item", a.text()) for a in m.actions()]
    out += [("menu bar", a.text()) for a in w.menuBar().actions()]
    out += [("dock", d.windowTitle()) for d in w.findChildren(QDockWidget)]
    for box in w.findChildren(QComboBox):
        out += [("combo item", box.itemText(i)) for i in range(box.count())]
    for widget in w.findChildren(QWidget):
        out.append((f"tooltip of {type(widget).__name__}", plain(widget.toolTip())))
    # Actions on a menu or a toolbar (pyqtgraph keeps menu-less ones it never shows).
    out += [("action tooltip", a.toolTip()) for a in w.findChildren(pg.QtGui.QAction)
            if a.associatedObjects()]
    out.append(("status bar", w.statusBar().currentMessage()))
    for view in w.findChildren(pg.GraphicsView):
        for item in view.scene().items():
            if isinstance(item, pg.PlotItem):
                out.append(("plot title", plain(item.titleLabel.text)))
                for side in ("left", "bottom"):
                    out.append((f"{side} axis", plain(item.getAxis(side).labelText)))
            elif isinstance(item, pg.TextItem):
                out.append(("text in a plot", item.textItem.toPlainText()))
    return out
