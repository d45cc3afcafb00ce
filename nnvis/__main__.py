from nnvis.cli import main

raise SystemExit(main())
