// SPDX-License-Identifier: MIT
// eBPF register file r0-r10: distributed (LUT) RAM with one write port and
// two asynchronous read ports, plus a flip-flop copy of r0 (read by
// cmpxchg and at the end of a run without taking a port). The engine
// initialises it through the write port at the start of every run.
// Entries 11-15 exist but are never written or used (the decoder rejects
// register numbers > 10).
module hermes_regfile (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        we_i,
  input  logic [3:0]  waddr_i,
  input  logic [63:0] wdata_i,
  input  logic [3:0]  raddr_a_i,
  output logic [63:0] rdata_a_o,
  input  logic [3:0]  raddr_b_i,
  output logic [63:0] rdata_b_o,
  output logic [63:0] r0_o
);

  logic [63:0] mem [16];
  logic [63:0] r0_q;

  always_ff @(posedge clk_i) begin
    if (we_i) mem[waddr_i] <= wdata_i;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni)                      r0_q <= '0;
    else if (we_i && waddr_i == 4'd0) r0_q <= wdata_i;
  end

  assign rdata_a_o = mem[raddr_a_i];
  assign rdata_b_o = mem[raddr_b_i];
  assign r0_o      = r0_q;

endmodule
