stdw [%r10-520], 0
exit
