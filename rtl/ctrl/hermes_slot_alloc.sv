// SPDX-License-Identifier: MIT
// Slot allocator shared by all command processors. Requests from several
// engines in the same clock are served in engine order within that clock,
// each seeing the bitmap as left by the lower-numbered engines, so one slot
// is never handed out twice. Allocation takes the lowest free slot; a slot
// is handed out only when it is not allocated and known to be zero. When
// every free slot is dirty, the lowest one is asked of the scrubber and
// wait_o tells the command processor to try again rather than answer
// "no free slot".
module hermes_slot_alloc #(
  parameter int unsigned NUM_ENGINES    = hermes_pkg::DEFAULT_ENGINES,
  parameter int unsigned NUM_PROG_SLOTS = hermes_pkg::DEFAULT_PROG_SLOTS,
  parameter int unsigned NUM_DATA_SLOTS = hermes_pkg::DEFAULT_DATA_SLOTS
) (
  input  logic                       clk_i,
  input  logic                       rst_ni,

  input  logic [NUM_ENGINES-1:0]     req_i,       // one request per engine
  input  logic [NUM_ENGINES-1:0]     release_i,   // 1 release, 0 allocate
  input  logic [NUM_ENGINES-1:0]     type_i,      // 0 program, 1 data
  input  logic [NUM_ENGINES*8-1:0]   slot_i,      // slot to release
  output logic [NUM_ENGINES-1:0]     ok_o,        // same cycle as req_i
  output logic [NUM_ENGINES*8-1:0]   slot_o,      // allocated slot
  output logic [NUM_ENGINES-1:0]     wait_o,      // none free yet: retry

  // Scrubber: slots released this clock, dirty free slots wanted now,
  // slots not known to be zero.
  output logic [NUM_PROG_SLOTS-1:0]  prog_release_o,
  output logic [NUM_DATA_SLOTS-1:0]  data_release_o,
  output logic [NUM_PROG_SLOTS-1:0]  prog_want_o,
  output logic [NUM_DATA_SLOTS-1:0]  data_want_o,
  input  logic [NUM_PROG_SLOTS-1:0]  prog_dirty_i,
  input  logic [NUM_DATA_SLOTS-1:0]  data_dirty_i,

  output logic [NUM_PROG_SLOTS-1:0]  prog_used_o,
  output logic [NUM_DATA_SLOTS-1:0]  data_used_o
);

  logic [NUM_PROG_SLOTS-1:0] prog_used_q, prog_used_d;
  logic [NUM_DATA_SLOTS-1:0] data_used_q, data_used_d;

  always_comb begin
    prog_used_d = prog_used_q;
    data_used_d = data_used_q;
    ok_o        = '0;
    slot_o      = '0;
    wait_o      = '0;
    prog_release_o = '0;
    data_release_o = '0;
    prog_want_o    = '0;
    data_want_o    = '0;
    for (int unsigned e = 0; e < NUM_ENGINES; e++) begin
      if (req_i[e]) begin
        if (release_i[e]) begin
          // Release: only a slot that is allocated; anything else fails.
          for (int unsigned s = 0; s < NUM_PROG_SLOTS; s++) begin
            if (!type_i[e] && slot_i[e*8 +: 8] == 8'(s) && prog_used_d[s]) begin
              prog_used_d[s]    = 1'b0;
              prog_release_o[s] = 1'b1;
              ok_o[e]           = 1'b1;
            end
          end
          for (int unsigned s = 0; s < NUM_DATA_SLOTS; s++) begin
            if (type_i[e] && slot_i[e*8 +: 8] == 8'(s) && data_used_d[s]) begin
              data_used_d[s]    = 1'b0;
              data_release_o[s] = 1'b1;
              ok_o[e]           = 1'b1;
            end
          end
        end else if (!type_i[e]) begin
          for (int unsigned s = 0; s < NUM_PROG_SLOTS; s++) begin
            if (!ok_o[e] && !prog_used_d[s] && !prog_dirty_i[s] && !prog_release_o[s]) begin
              prog_used_d[s]   = 1'b1;
              ok_o[e]          = 1'b1;
              slot_o[e*8 +: 8] = 8'(s);
            end
          end
          for (int unsigned s = 0; s < NUM_PROG_SLOTS; s++) begin
            if (!ok_o[e] && !wait_o[e] && !prog_used_d[s]) begin
              wait_o[e] = 1'b1;
              if (!prog_release_o[s]) prog_want_o[s] = 1'b1;
            end
          end
        end else begin
          for (int unsigned s = 0; s < NUM_DATA_SLOTS; s++) begin
            if (!ok_o[e] && !data_used_d[s] && !data_dirty_i[s] && !data_release_o[s]) begin
              data_used_d[s]   = 1'b1;
              ok_o[e]          = 1'b1;
              slot_o[e*8 +: 8] = 8'(s);
            end
          end
          for (int unsigned s = 0; s < NUM_DATA_SLOTS; s++) begin
            if (!ok_o[e] && !wait_o[e] && !data_used_d[s]) begin
              wait_o[e] = 1'b1;
              if (!data_release_o[s]) data_want_o[s] = 1'b1;
            end
          end
        end
      end
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      prog_used_q <= '0;
      data_used_q <= '0;
    end else begin
      prog_used_q <= prog_used_d;
      data_used_q <= data_used_d;
    end
  end

  assign prog_used_o = prog_used_q;
  assign data_used_o = data_used_q;

endmodule
