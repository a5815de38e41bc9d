from rightscli.entry import main

main()
