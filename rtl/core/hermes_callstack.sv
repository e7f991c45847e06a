// SPDX-License-Identifier: MIT
// Call-stack save area: one WIDTH-bit word a frame (the engine's: r6-r9
// and the return pc, 288 bits), in block RAM (in LUT RAM the 8 frames took
// about 180 LUTs).
// One synchronous read port: rdata_o is the word at the raddr_i of the
// previous clock, read before a write in that clock (the engine waits a
// clock after a save before it can need the word: call_in_flight).
module hermes_callstack #(
  parameter int unsigned WIDTH = 256,
  parameter int unsigned DEPTH = 8,
  localparam int unsigned AW   = (DEPTH > 1) ? $clog2(DEPTH) : 1
) (
  input  logic             clk_i,
  input  logic             we_i,
  input  logic [AW-1:0]    waddr_i,
  input  logic [WIDTH-1:0] wdata_i,
  input  logic [AW-1:0]    raddr_i,
  output logic [WIDTH-1:0] rdata_o
);

  (* ram_style = "block" *) logic [WIDTH-1:0] mem [DEPTH];

  always_ff @(posedge clk_i) begin
    if (we_i) mem[waddr_i] <= wdata_i;
    rdata_o <= mem[raddr_i];
  end

endmodule
