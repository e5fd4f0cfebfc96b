import sys

from tutor_desktop.cli import main

sys.exit(main())
