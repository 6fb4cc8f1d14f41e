"""`python -m fixenc` runs the same command as the `fixenc` script."""
from ._entry import main

if __name__ == "__main__":
    main()
