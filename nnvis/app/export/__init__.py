"""Taking a panel out of the app: its picture (PNG, SVG), its data (CSV) and the right-click
menu that offers them."""
