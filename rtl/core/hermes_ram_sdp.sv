// SPDX-License-Identifier: MIT
// Simple dual-port RAM: one write port with byte enables, one synchronous
// read port with a read enable (rdata_o holds while re_i is low). Written
// so that yosys and Vivado infer block RAM.
module hermes_ram_sdp #(
  parameter int unsigned WIDTH = 64,
  parameter int unsigned DEPTH = 256,
  localparam int unsigned AW   = (DEPTH > 1) ? $clog2(DEPTH) : 1
) (
  input  logic                 clk_i,
  input  logic [WIDTH/8-1:0]   we_i,
  input  logic [AW-1:0]        waddr_i,
  input  logic [WIDTH-1:0]     wdata_i,
  input  logic                 re_i,
  input  logic [AW-1:0]        raddr_i,
  output logic [WIDTH-1:0]     rdata_o
);

  logic [WIDTH-1:0] mem [DEPTH];

  always_ff @(posedge clk_i) begin
    for (int i = 0; i < WIDTH / 8; i++) begin
      if (we_i[i]) mem[waddr_i][i*8 +: 8] <= wdata_i[i*8 +: 8];
    end
    if (re_i) rdata_o <= mem[raddr_i];
  end

endmodule
