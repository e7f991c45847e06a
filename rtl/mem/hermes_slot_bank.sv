// SPDX-License-Identifier: MIT
// One bank of card memory: 512-bit lines, byte write enables, synchronous
// read (read-first), one access per clock: maps to block RAM.
module hermes_slot_bank #(
  parameter int unsigned DEPTH = 1024,
  localparam int unsigned AW = $clog2(DEPTH)
) (
  input  logic          clk_i,
  input  logic          en_i,
  input  logic          we_i,
  input  logic [63:0]   be_i,
  input  logic [AW-1:0] addr_i,
  input  logic [511:0]  wdata_i,
  output logic [511:0]  rdata_o
);

  logic [511:0] mem_q [DEPTH];

  always_ff @(posedge clk_i) begin
    if (en_i) begin
      rdata_o <= mem_q[addr_i];
      if (we_i) begin
        for (int unsigned b = 0; b < 64; b++)
          if (be_i[b]) mem_q[addr_i][8*b +: 8] <= wdata_i[8*b +: 8];
      end
    end
  end

endmodule
