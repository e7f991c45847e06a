stw [%r1-2], 0
exit
