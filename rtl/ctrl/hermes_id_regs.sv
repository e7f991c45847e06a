// SPDX-License-Identifier: MIT
// BAR0 identity and geometry registers (docs/ARCHITECTURE.md "BAR0", 0x00-0x4F).
// All read-only; values come from hermes_top's parameters. hit_o says the
// offset belongs to this block; a write to it is an error (read-only).
module hermes_id_regs #(
  parameter int unsigned   NUM_ENGINES     = hermes_pkg::DEFAULT_ENGINES,
  parameter int unsigned   NUM_PROG_SLOTS  = hermes_pkg::DEFAULT_PROG_SLOTS,
  parameter int unsigned   NUM_DATA_SLOTS  = hermes_pkg::DEFAULT_DATA_SLOTS,
  parameter int unsigned   PROG_SLOT_BYTES = hermes_pkg::DEFAULT_PROG_SLOT_SIZE,
  parameter int unsigned   DATA_SLOT_BYTES = hermes_pkg::DEFAULT_DATA_SLOT_SIZE,
  parameter int unsigned   MAX_INSNS       = hermes_pkg::DEFAULT_MAX_INSNS,
  parameter int unsigned   CAPS            = 0,
  // EHBLD bytes, byte 0 in bits 7:0 (ASCII, NUL padded).
  parameter logic [383:0]  BUILD_ID        = '0
) (
  input  logic [15:0] addr_i,
  output logic        hit_o,
  output logic [31:0] rdata_o
);

  localparam int unsigned ProgSlotOff = 0;
  localparam int unsigned DataSlotOff = NUM_PROG_SLOTS * PROG_SLOT_BYTES;
  localparam int unsigned IdEnd       = hermes_pkg::EHMAXI + 4;

  logic [31:0] build_word;
  logic [3:0]  build_idx;

  assign build_idx  = 4'((addr_i - 16'(hermes_pkg::EHBLD)) >> 2);
  assign build_word = BUILD_ID[32 * build_idx +: 32];

  always_comb begin
    hit_o   = 32'(addr_i) < IdEnd;
    rdata_o = '0;
    if (32'(addr_i) >= hermes_pkg::EHBLD && 32'(addr_i) < hermes_pkg::EHENG) begin
      rdata_o = build_word;
    end else begin
      unique case (32'(addr_i))
        hermes_pkg::EHVER:   rdata_o = hermes_pkg::VERSION;
        hermes_pkg::EHENG:   rdata_o = {8'h00, 8'(NUM_DATA_SLOTS), 8'(NUM_PROG_SLOTS),
                                        8'(NUM_ENGINES)};
        hermes_pkg::EHPSOFF: rdata_o = ProgSlotOff;
        hermes_pkg::EHPSSZE: rdata_o = PROG_SLOT_BYTES;
        hermes_pkg::EHDSOFF: rdata_o = DataSlotOff;
        hermes_pkg::EHDSSZE: rdata_o = DATA_SLOT_BYTES;
        hermes_pkg::EHCAP:   rdata_o = CAPS;
        hermes_pkg::EHMAXI:  rdata_o = MAX_INSNS;
        default:             rdata_o = '0;
      endcase
    end
  end

endmodule
