"""`python -m fixenc` runs the same command as the `fixenc` script."""
from .cli import main

if __name__ == "__main__":
    main()
