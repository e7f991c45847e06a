call 1
exit
