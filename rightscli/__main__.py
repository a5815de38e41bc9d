from rightscli.cli import main

main()
