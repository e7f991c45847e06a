// SPDX-License-Identifier: MIT
// Slot scrubber: a released slot is zeroed before it can be allocated
// again, so no program or data of one user is visible to the next (and a
// data slot reads as zero beyond what the host uploads).
//
// To keep this cheap, each slot has a high-water mark: the number of lines
// from its start that may have been written since it was last clean (every
// DMA and engine write is observed). A scrub writes zero lines up to the
// mark only. Released slots are scrubbed in the background; a slot that is
// dirty for another reason (after reset every slot counts as fully dirty,
// since the memory may hold anything; or raw DMA into a free slot) is
// scrubbed when the allocator asks for it. A card reset (scrub_all_i) queues
// every slot written since it was last zeroed at once, so nothing written
// before the reset survives it in the slot memory; slots untouched since the
// pin reset stay dirty and are zeroed on demand as before. A write into a
// slot under scrub, behind the scrub pointer, leaves it dirty and queued for
// another pass. Slot sizes must be powers of two (multiples of 64 B).
//
// Map slot p (docs/MAPS.md) belongs to program slot p: it is scrubbed when
// program slot p is released or wanted, and program slot p counts as dirty
// while either is, so Request Slot hands out both zeroed. Map slots start
// at line MAP_LINE0 (after the queue region, which has no slots: writes
// there are not reported).
module hermes_slot_scrub #(
  parameter int unsigned NUM_PROG_SLOTS  = hermes_pkg::DEFAULT_PROG_SLOTS,
  parameter int unsigned NUM_DATA_SLOTS  = hermes_pkg::DEFAULT_DATA_SLOTS,
  parameter int unsigned PROG_SLOT_BYTES = hermes_pkg::DEFAULT_PROG_SLOT_SIZE,
  parameter int unsigned DATA_SLOT_BYTES = hermes_pkg::DEFAULT_DATA_SLOT_SIZE,
  parameter int unsigned MAP_SLOT_BYTES  = hermes_pkg::DEFAULT_MAP_SLOT_SIZE,
  parameter int unsigned MAP_LINE0       = 1 << 17,
  parameter int unsigned LINE_AW         = 18
) (
  input  logic                      clk_i,
  input  logic                      rst_ni,

  // Writes to the slot memory (at most one per clock): the highest line an
  // access touched.
  input  logic                      wr_valid_i,
  input  logic [LINE_AW-1:0]        wr_line_i,

  // Slots released this clock, and dirty slots the allocator wants: scrub them.
  input  logic [NUM_PROG_SLOTS-1:0] prog_release_i,
  input  logic [NUM_DATA_SLOTS-1:0] data_release_i,
  input  logic [NUM_PROG_SLOTS-1:0] prog_want_i,
  input  logic [NUM_DATA_SLOTS-1:0] data_want_i,
  // Card reset: scrub every slot written since it was last zeroed.
  input  logic                      scrub_all_i,
  // Some slot is queued or being zeroed.
  output logic                      busy_o,
  // Slots not known to be zero: not to be allocated as they are.
  output logic [NUM_PROG_SLOTS-1:0] prog_dirty_o,
  output logic [NUM_DATA_SLOTS-1:0] data_dirty_o,

  // Zero-line writes, on the slot memory's line port (held until granted).
  output logic                      req_o,
  output logic [LINE_AW-1:0]        line_o,
  input  logic                      gnt_i
);

  localparam int unsigned ProgLines = PROG_SLOT_BYTES / 64;
  localparam int unsigned DataLines = DATA_SLOT_BYTES / 64;
  localparam int unsigned MapLines  = MAP_SLOT_BYTES / 64;
  localparam int unsigned ProgLW    = $clog2(ProgLines);
  localparam int unsigned DataLW    = $clog2(DataLines);
  localparam int unsigned MapLW     = $clog2(MapLines);
  localparam int unsigned ProgArea  = NUM_PROG_SLOTS * ProgLines;
  localparam int unsigned MapSlot0  = NUM_PROG_SLOTS + NUM_DATA_SLOTS;
  localparam int unsigned NumSlots  = MapSlot0 + NUM_PROG_SLOTS;
  localparam int unsigned SlotW     = $clog2(NumSlots);
  localparam int unsigned MaxLW     = DataLW > ProgLW ? (DataLW > MapLW ? DataLW : MapLW)
                                                      : (ProgLW > MapLW ? ProgLW : MapLW);
  localparam int unsigned MarkW     = MaxLW + 1;

  // Slots 0..NUM_PROG_SLOTS-1 are the program slots, then the data slots,
  // then the map slots.
  logic [NumSlots-1:0]  pending_q, pending_d;
  logic [NumSlots-1:0]  written_q;
  logic [MarkW-1:0]     mark_q [NumSlots];
  logic                 busy_q;
  logic [SlotW-1:0]     cur_q;
  logic [MarkW-1:0]     pos_q;

  // Which slot a written line belongs to, and its line index in the slot.
  logic                 wr_is_prog, wr_is_map;
  logic [LINE_AW-1:0]   wr_data_line, wr_map_line;
  logic [SlotW-1:0]     wr_slot;
  logic [MarkW-1:0]     wr_mark;

  assign wr_is_prog   = 32'(wr_line_i) < ProgArea;
  assign wr_is_map    = 32'(wr_line_i) >= MAP_LINE0;
  assign wr_data_line = wr_line_i - LINE_AW'(ProgArea);
  assign wr_map_line  = wr_line_i - LINE_AW'(MAP_LINE0);
  always_comb begin
    if (wr_is_prog) begin
      wr_slot = SlotW'(wr_line_i >> ProgLW);
      wr_mark = MarkW'(wr_line_i & LINE_AW'(ProgLines - 1)) + 1'b1;
    end else if (wr_is_map) begin
      wr_slot = SlotW'(MapSlot0) + SlotW'(wr_map_line >> MapLW);
      wr_mark = MarkW'(wr_map_line & LINE_AW'(MapLines - 1)) + 1'b1;
    end else begin
      wr_slot = SlotW'(NUM_PROG_SLOTS) + SlotW'(wr_data_line >> DataLW);
      wr_mark = MarkW'(wr_data_line & LINE_AW'(DataLines - 1)) + 1'b1;
    end
  end

  // Next slot to scrub: the lowest pending one.
  logic             found;
  logic [SlotW-1:0] next_slot;
  always_comb begin
    found     = 1'b0;
    next_slot = '0;
    for (int unsigned s = 0; s < NumSlots; s++) begin
      if (!found && pending_q[s]) begin
        found     = 1'b1;
        next_slot = SlotW'(s);
      end
    end
  end

  logic             cur_is_prog, cur_is_map;
  logic [LINE_AW-1:0] cur_base;
  logic             last_line;
  assign cur_is_prog = 32'(cur_q) < NUM_PROG_SLOTS;
  assign cur_is_map  = 32'(cur_q) >= MapSlot0;
  assign cur_base    = cur_is_prog ? LINE_AW'(32'(cur_q) * ProgLines) :
                       cur_is_map  ? LINE_AW'(MAP_LINE0 + (32'(cur_q) - MapSlot0) * MapLines)
                                   : LINE_AW'(ProgArea + (32'(cur_q) - NUM_PROG_SLOTS) * DataLines);
  assign req_o       = busy_q && pos_q < mark_q[cur_q];
  assign line_o      = cur_base + LINE_AW'(pos_q);
  assign last_line   = gnt_i && pos_q + 1'b1 >= mark_q[cur_q];

  // A write behind the scrub pointer (or as the scrub ends) lands in lines
  // already zeroed: the slot stays dirty up to the highest such line and is
  // scrubbed again. Writes ahead of the pointer are zeroed by this pass.
  logic             scrub_done, redirty;
  logic [MarkW-1:0] redirty_mark_q, redirty_mark;
  assign scrub_done   = busy_q && (mark_q[cur_q] == '0 || last_line);
  assign redirty      = busy_q && wr_valid_i && wr_slot == cur_q && (wr_mark <= pos_q || scrub_done);
  assign redirty_mark = redirty && wr_mark > redirty_mark_q ? wr_mark : redirty_mark_q;

  logic [NumSlots-1:0] marked;
  for (genvar s = 0; s < NumSlots; s++) begin : g_marked
    assign marked[s] = mark_q[s] != '0;
  end

  always_comb begin
    // A wanted slot is queued only where it is marked: program slot p and
    // map slot p are wanted together, and queuing the clean one again and
    // again (the lowest pending goes first) would starve the other.
    pending_d = pending_q | {prog_release_i, data_release_i, prog_release_i} |
                ({prog_want_i, data_want_i, prog_want_i} & marked);
    if (scrub_all_i) pending_d = pending_d | written_q;
    if (scrub_done) pending_d[cur_q] = redirty_mark != '0;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      pending_q <= '0;
      written_q <= '0;
      busy_q    <= 1'b0;
      cur_q     <= '0;
      pos_q     <= '0;
      redirty_mark_q <= '0;
      for (int unsigned s = 0; s < NumSlots; s++)
        mark_q[s] <= s < NUM_PROG_SLOTS ? MarkW'(ProgLines) :
                     s < MapSlot0       ? MarkW'(DataLines) : MarkW'(MapLines);
    end else begin
      pending_q <= pending_d;
      if (wr_valid_i) begin
        if (wr_mark > mark_q[wr_slot]) mark_q[wr_slot] <= wr_mark;
        written_q[wr_slot] <= 1'b1;
      end
      if (!busy_q) begin
        if (found) begin
          busy_q         <= 1'b1;
          cur_q          <= next_slot;
          pos_q          <= '0;
          redirty_mark_q <= '0;
        end
      end else if (scrub_done) begin
        busy_q           <= 1'b0;
        mark_q[cur_q]    <= redirty_mark;
        written_q[cur_q] <= redirty_mark != '0;
      end else begin
        redirty_mark_q <= redirty_mark;
        if (gnt_i) pos_q <= pos_q + 1'b1;
      end
    end
  end

  logic [NumSlots-1:0] dirty;
  assign dirty        = pending_q | marked;
  assign busy_o       = busy_q || pending_q != '0;
  assign prog_dirty_o = dirty[NUM_PROG_SLOTS-1:0] | dirty[NumSlots-1:MapSlot0];
  assign data_dirty_o = dirty[MapSlot0-1:NUM_PROG_SLOTS];

endmodule
