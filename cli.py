"""Thin shim: `python cli.py ...` behaves exactly like `govscan ...`."""
from scanner.cli import main

if __name__ == "__main__":
    main()
