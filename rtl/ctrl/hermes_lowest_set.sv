// SPDX-License-Identifier: MIT
// The lowest set bit of a vector: whether any bit is set, the bit alone
// (one-hot) and its index. Shared by the slot allocator (first clean,
// first free slot) and the slot scrubber (next slot to zero), so the three
// pick alike.
//
// Written as OR-reductions rather than a priority chain: each output bit
// is then a shallow tree (log6 N LUT levels for the one-hot, two more for
// the index), which keeps a 48-slot pick within a clock at 250 MHz.
module hermes_lowest_set #(
  parameter int unsigned N  = 8,
  parameter int unsigned IW = N > 1 ? $clog2(N) : 1
) (
  input  logic [N-1:0]  bits_i,
  output logic          valid_o,
  output logic [N-1:0]  onehot_o,
  output logic [IW-1:0] idx_o
);

  assign valid_o = bits_i != '0;

  for (genvar i = 0; i < N; i++) begin : g_onehot
    if (i == 0) begin : g_first
      assign onehot_o[i] = bits_i[i];
    end else begin : g_rest
      assign onehot_o[i] = bits_i[i] && bits_i[i-1:0] == '0;
    end
  end

  // Index bit b: the OR of the one-hot bits whose index has bit b set.
  for (genvar b = 0; b < IW; b++) begin : g_idx
    logic [N-1:0] with_b;
    for (genvar i = 0; i < N; i++) begin : g_mask
      assign with_b[i] = ((i >> b) & 1) != 0;
    end
    assign idx_o[b] = (onehot_o & with_b) != '0;
  end

endmodule
