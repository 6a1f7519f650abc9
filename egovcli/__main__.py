from egovcli.cli import main

main()
