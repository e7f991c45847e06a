call local +5
exit
