// SPDX-License-Identifier: MIT
// Branch predictor: one 2-bit saturating counter per instruction slot, in
// block RAM beside the instruction memory and read with it (same address,
// same enable), so the prediction is ready in ID with the instruction.
//
// The program copy writes every slot's counter as it writes the slot:
// weakly taken for a jump with a negative offset (a loop), weakly not taken
// otherwise (the static backward-taken rule). So every run starts from the
// same state whatever ran before, and a run's clocks depend only on its
// program, input and memory timing. A conditional jump then moves its
// counter when it fires in EX; updates are dropped while the copy still
// owns the write port (they only cost accuracy).
//   ctr_o[1]  predict taken (for the slot of the last enabled read)
module hermes_bpred #(
  parameter int unsigned WORDS = 8192,
  localparam int unsigned AW   = (WORDS > 2) ? $clog2(WORDS) : 2
) (
  input  logic          clk_i,
  // program copy: slot waddr_i gets counter for insn_i
  input  logic          init_i,
  input  logic [AW-1:0] init_addr_i,
  input  logic [63:0]   init_insn_i,
  // update by a conditional jump that fired: ctr_i is the counter it was
  // predicted with
  input  logic          upd_i,
  input  logic [AW-1:0] upd_addr_i,
  input  logic [1:0]    upd_ctr_i,
  input  logic          upd_taken_i,
  // read, with the instruction memory
  input  logic          re_i,
  input  logic [AW-1:0] raddr_i,
  output logic [1:0]    ctr_o
);

  logic [1:0]    ctr_next, wdata;
  logic [AW-1:0] waddr;
  logic          we;

  always_comb begin
    ctr_next = upd_ctr_i;
    if (upd_taken_i && upd_ctr_i != 2'b11)  ctr_next = upd_ctr_i + 2'd1;
    if (!upd_taken_i && upd_ctr_i != 2'b00) ctr_next = upd_ctr_i - 2'd1;
  end

  // The copy has the port while it runs (the engine drops upd_i then).
  assign we    = init_i || (upd_i && ctr_next != upd_ctr_i);
  assign waddr = init_i ? init_addr_i : upd_addr_i;
  // Offset sign: bit 31 of the slot (bits 31:16 are the offset).
  assign wdata = init_i ? (init_insn_i[31] ? 2'b10 : 2'b01) : ctr_next;

  (* ram_style = "block" *) logic [1:0] mem [2 ** AW];

  always_ff @(posedge clk_i) begin
    if (we) mem[waddr] <= wdata;
    if (re_i) ctr_o <= mem[raddr_i];
  end

  logic unused_insn;
  assign unused_insn = ^{init_insn_i[63:32], init_insn_i[30:0]};

endmodule
