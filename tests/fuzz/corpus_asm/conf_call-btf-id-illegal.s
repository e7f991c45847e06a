call runtime 5
exit
