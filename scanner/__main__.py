"""`python -m scanner ...` behaves exactly like `govscan ...` (for a venv whose scripts are not on PATH)."""
from scanner.cli import main

main()
