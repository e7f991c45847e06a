call helper 0
exit
