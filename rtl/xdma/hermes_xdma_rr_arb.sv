// SPDX-License-Identifier: MIT
// Round-robin arbiter: one-hot grant among the requests, combinational;
// the priority moves past the winner when the grant is taken (ack_i).
module hermes_xdma_rr_arb #(
  parameter int unsigned N = 2,
  localparam int unsigned IdxW = (N > 1) ? $clog2(N) : 1
) (
  input  logic            clk_i,
  input  logic            rst_ni,
  input  logic [N-1:0]    req_i,
  input  logic            ack_i,
  output logic [N-1:0]    gnt_o,
  output logic [IdxW-1:0] idx_o,
  output logic            valid_o
);

  logic [IdxW-1:0] prio_q; // index with the highest priority

  always_comb begin
    gnt_o = '0;
    idx_o = '0;
    valid_o = 1'b0;
    // First the requests at or above the priority index, then the others.
    for (int unsigned i = 0; i < N; i++) begin
      if (!valid_o && req_i[i] && i >= 32'(prio_q)) begin
        valid_o = 1'b1;
        gnt_o[i] = 1'b1;
        idx_o = IdxW'(i);
      end
    end
    for (int unsigned i = 0; i < N; i++) begin
      if (!valid_o && req_i[i] && i < 32'(prio_q)) begin
        valid_o = 1'b1;
        gnt_o[i] = 1'b1;
        idx_o = IdxW'(i);
      end
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      prio_q <= '0;
    end else if (ack_i && valid_o) begin
      prio_q <= (32'(idx_o) == N - 1) ? '0 : idx_o + 1'b1;
    end
  end

endmodule
