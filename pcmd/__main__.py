from pcmd.cli import main

main()
