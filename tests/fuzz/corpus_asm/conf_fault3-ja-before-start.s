ja -2
exit
