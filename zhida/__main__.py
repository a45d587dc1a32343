from zhida.cli import main

main()
