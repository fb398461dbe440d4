from steunwijzer.cli import main

raise SystemExit(main())
