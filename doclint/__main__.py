from doclint.cli import main

raise SystemExit(main())
