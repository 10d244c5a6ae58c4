from execsponsor.cli import main

main()
