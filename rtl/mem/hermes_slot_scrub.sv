// SPDX-License-Identifier: MIT
// Slot scrubber: a released slot is zeroed before it can be allocated
// again, so no program or data of one user is visible to the next (and a
// data slot reads as zero beyond what the host uploads).
//
// To keep this cheap, each slot has a high-water mark: the number of lines
// from its start that may have been written since it was last clean (every
// DMA and engine write is observed). A scrub writes zero lines up to the
// mark only. Released slots are scrubbed in the background; a slot that is
// dirty for another reason (after a pin reset every slot counts as fully
// dirty, since the memory may hold what was written before it; or raw DMA
// into a free slot) is scrubbed when the allocator asks for it. Until the
// first write after the FPGA is configured nothing is dirty: configuration
// loads the block RAM and UltraRAM with zeros, so a pin reset before that
// write marks nothing (never_written_q). A card reset (scrub_all_i) queues
// every slot written since it was last zeroed at once, so nothing written
// before the reset survives it in the slot memory; slots untouched since the
// pin reset stay dirty and are zeroed on demand as before. A write into a
// slot under scrub, behind the scrub pointer, leaves it dirty and queued for
// another pass. Slot sizes must be powers of two (multiples of 64 B).
//
// Every path is kept short (docs/AREA.md: at most 8 logic levels): the
// observed write is decoded into its slot and registered before it is
// used, and the slot under scrub has its mark and base in registers of its
// own. A scrub goes Idle -> Load (take the slot's mark) -> Run (zero its
// lines) -> Close (requeue it if written behind the pointer). A write is
// "behind" when its last line is at or behind the pointer: an access
// touches at most two lines, so the line before the last may already have
// been zeroed.
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
  localparam int unsigned DataEnd   = ProgArea + NUM_DATA_SLOTS * DataLines;
  localparam int unsigned MapSlot0  = NUM_PROG_SLOTS + NUM_DATA_SLOTS;
  localparam int unsigned NumSlots  = MapSlot0 + NUM_PROG_SLOTS;
  localparam int unsigned SlotW     = $clog2(NumSlots);
  localparam int unsigned MaxLW     = DataLW > ProgLW ? (DataLW > MapLW ? DataLW : MapLW)
                                                      : (ProgLW > MapLW ? ProgLW : MapLW);
  localparam int unsigned MarkW     = MaxLW + 1;

  typedef enum logic [1:0] {
    ScIdle,   // waiting for a pending slot; picks the lowest
    ScLoad,   // takes the picked slot's mark and base
    ScRun,    // zeroes lines up to the mark
    ScClose   // leaves the slot pending again if written behind the pointer
  } scrub_state_e;

  // Slots 0..NUM_PROG_SLOTS-1 are the program slots, then the data slots,
  // then the map slots. mark_q: lines that may be non-zero from the slot's
  // start; for the slot under scrub, the lines written behind the pointer
  // since its Load.
  scrub_state_e         state_q, state_d;
  logic [NumSlots-1:0]  pending_q, pending_d;
  logic [NumSlots-1:0]  written_q;
  logic [MarkW-1:0]     mark_q [NumSlots];
  logic [SlotW-1:0]     cur_q;
  logic [NumSlots-1:0]  cur_hot_q;
  logic [LINE_AW-1:0]   cur_base_q;
  logic [MarkW-1:0]     cur_mark_q;
  logic [MarkW-1:0]     pos_q;

  // ---- the observed write, decoded: its slot (one-hot, none for lines
  // outside the slots) and its last line's index in the slot ----
  logic                 wr_is_prog, wr_is_data, wr_is_map;
  logic [LINE_AW-1:0]   wr_data_line, wr_map_line;
  logic [NumSlots-1:0]  wr_hot_d;
  logic [MarkW-1:0]     wr_idx_d;

  assign wr_is_prog   = 32'(wr_line_i) < ProgArea;
  assign wr_is_data   = !wr_is_prog && 32'(wr_line_i) < DataEnd;
  assign wr_is_map    = 32'(wr_line_i) >= MAP_LINE0;
  assign wr_data_line = wr_line_i - LINE_AW'(ProgArea);
  assign wr_map_line  = wr_line_i - LINE_AW'(MAP_LINE0);
  for (genvar p = 0; p < NUM_PROG_SLOTS; p++) begin : g_wr_prog
    assign wr_hot_d[p] = wr_valid_i && wr_is_prog && (32'(wr_line_i) >> ProgLW) == p;
    assign wr_hot_d[MapSlot0 + p] = wr_valid_i && wr_is_map && (32'(wr_map_line) >> MapLW) == p;
  end
  for (genvar d = 0; d < NUM_DATA_SLOTS; d++) begin : g_wr_data
    assign wr_hot_d[NUM_PROG_SLOTS + d] = wr_valid_i && wr_is_data && (32'(wr_data_line) >> DataLW) == d;
  end
  assign wr_idx_d = wr_is_prog ? MarkW'(wr_line_i & LINE_AW'(ProgLines - 1)) :
                    wr_is_map  ? MarkW'(wr_map_line & LINE_AW'(MapLines - 1))
                               : MarkW'(wr_data_line & LINE_AW'(DataLines - 1));

  // No write since configuration (which zeroes the memory): set by the
  // bitstream, not by rst_ni, since the memory keeps its contents across a
  // pin reset and so must this. It samples the same clock edge as the
  // memory's write enable, so no written line escapes it. While it is set
  // the marks are held at zero below, whatever the pin reset loaded: a
  // fresh card hands out its first slots at once instead of zeroing about
  // 21,500 lines of zeros.
  logic never_written_q = 1'b1;
  always_ff @(posedge clk_i) begin
    if (wr_valid_i) never_written_q <= 1'b0;
  end

  // The card reset is taken a clock later too, so that a write in its
  // clock (then in flight) is among the slots it queues.
  logic                 scrub_all_q;
  logic [NumSlots-1:0]  wr_hot_q;
  logic [MarkW-1:0]     wr_idx_q, wr_mark_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      scrub_all_q <= 1'b0;
      wr_hot_q    <= '0;
      wr_idx_q    <= '0;
      wr_mark_q   <= '0;
    end else begin
      scrub_all_q <= scrub_all_i;
      wr_hot_q    <= wr_hot_d;
      wr_idx_q    <= wr_idx_d;
      wr_mark_q   <= wr_idx_d + 1'b1;
    end
  end

  // A write still in the registers above counts as written already: the
  // allocator must not see its slot clean in between.
  // marked_q: the slot's mark is not zero (kept beside the marks, so that
  // it is not 48 comparisons every clock).
  logic [NumSlots-1:0] inflight, marked_q, dirty;
  assign inflight = wr_hot_q;  // wr_hot_d is zero without a write

  // ---- the slot under scrub ----
  // The memory grants one access a clock, so a write seen here (a clock
  // after its grant) came in a clock without a scrub grant: pos_q has not
  // moved since, and the comparison below is the one of the write's clock.
  logic cur_hit, wr_behind, wr_ahead, lines_left, scrub_done;
  assign cur_hit    = (inflight & cur_hot_q) != '0;
  assign wr_behind  = wr_idx_q <= pos_q;
  assign wr_ahead   = state_q == ScRun && cur_hit && !wr_behind;
  assign lines_left = pos_q < cur_mark_q;
  assign scrub_done = state_q == ScRun && !lines_left && !wr_ahead;

  assign req_o  = state_q == ScRun && lines_left;
  assign line_o = cur_base_q + LINE_AW'(pos_q);

  // First line of every slot.
  logic [LINE_AW-1:0] slot_base [NumSlots];
  for (genvar s = 0; s < NumSlots; s++) begin : g_base
    assign slot_base[s] = s < NUM_PROG_SLOTS ? LINE_AW'(s * ProgLines) :
                          s < MapSlot0       ? LINE_AW'(ProgArea + (s - NUM_PROG_SLOTS) * DataLines)
                                             : LINE_AW'(MAP_LINE0 + (s - MapSlot0) * MapLines);
  end

  logic                next_valid;
  logic [NumSlots-1:0] next_hot;
  logic [SlotW-1:0]    next_slot;
  hermes_lowest_set #(.N(NumSlots), .IW(SlotW)) u_next (
    .bits_i   (pending_q),
    .valid_o  (next_valid),
    .onehot_o (next_hot),
    .idx_o    (next_slot)
  );

  always_comb begin
    state_d = state_q;
    unique case (state_q)
      ScIdle:  if (next_valid) state_d = ScLoad;
      ScLoad:  state_d = ScRun;
      ScRun:   if (scrub_done) state_d = ScClose;
      ScClose: state_d = ScIdle;
      default: state_d = ScIdle;
    endcase
  end

  logic [NumSlots-1:0] closing;
  assign closing = state_q == ScClose ? cur_hot_q : '0;

  // Which marks change: in Load the slot under scrub's; the written slot's
  // where the write raises it, except the slot under scrub's while the
  // write is ahead of the pointer (the scrub zeroes it; cur_mark_q grows).
  // As vectors, so that the per-slot updates below only test a bit each:
  // the simulator evaluates them every clock.
  logic [NumSlots-1:0] raises, unguarded, mark_load, mark_raise;
  for (genvar s = 0; s < NumSlots; s++) begin : g_raise
    assign raises[s] = wr_mark_q > mark_q[s];
  end
  assign unguarded  = state_q == ScRun && !wr_behind ? ~cur_hot_q : '1;
  assign mark_load  = state_q == ScLoad ? cur_hot_q : '0;
  assign mark_raise = inflight & raises & unguarded;

  always_comb begin
    // A wanted slot is queued only where it is marked: program slot p and
    // map slot p are wanted together, and queuing the clean one again and
    // again (the lowest pending goes first) would starve the other.
    pending_d = (pending_q & ~closing) | (closing & (marked_q | inflight)) |
                {prog_release_i, data_release_i, prog_release_i} |
                ({prog_want_i, data_want_i, prog_want_i} & (marked_q | inflight));
    if (scrub_all_q) pending_d = pending_d | written_q | inflight;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q    <= ScIdle;
      pending_q  <= '0;
      written_q  <= '0;
      cur_q      <= '0;
      cur_hot_q  <= '0;
      cur_base_q <= '0;
      cur_mark_q <= '0;
      pos_q      <= '0;
      marked_q   <= '1;
      for (int unsigned s = 0; s < NumSlots; s++)
        mark_q[s] <= s < NUM_PROG_SLOTS ? MarkW'(ProgLines) :
                     s < MapSlot0       ? MarkW'(DataLines) : MarkW'(MapLines);
    end else begin
      state_q   <= state_d;
      pending_q <= pending_d;
      for (int unsigned s = 0; s < NumSlots; s++) begin
        // A write in the clock of the Load counts as behind the pointer.
        if (never_written_q)    mark_q[s] <= '0;
        else if (mark_load[s])  mark_q[s] <= cur_hit ? wr_mark_q : '0;
        else if (mark_raise[s]) mark_q[s] <= wr_mark_q;
      end
      marked_q  <= never_written_q ? '0 :
                   (mark_load & (cur_hit ? cur_hot_q : '0)) |
                   (~mark_load & (marked_q | mark_raise));
      written_q <= inflight | (written_q & ~closing) | (closing & marked_q);
      unique case (state_q)
        ScIdle: begin
          cur_q     <= next_slot;
          cur_hot_q <= next_hot;
        end
        ScLoad: begin
          cur_mark_q <= mark_q[cur_q];
          cur_base_q <= slot_base[cur_q];
          pos_q      <= '0;
        end
        ScRun: begin
          if (gnt_i) pos_q <= pos_q + 1'b1;
          if (wr_ahead && wr_mark_q > cur_mark_q) cur_mark_q <= wr_mark_q;
        end
        default: ;
      endcase
    end
  end

  assign dirty        = pending_q | marked_q | inflight;
  assign busy_o       = scrub_all_q || state_q != ScIdle || pending_q != '0;
  assign prog_dirty_o = dirty[NUM_PROG_SLOTS-1:0] | dirty[NumSlots-1:MapSlot0];
  assign data_dirty_o = dirty[MapSlot0-1:NUM_PROG_SLOTS];

`ifndef SYNTHESIS
  // The memory never grants the scrubber in a clock it accepts a write
  // (the pointer comparison above relies on it).
  NoWriteWithScrubGrant: assert property (@(posedge clk_i) disable iff (!rst_ni)
    !(wr_valid_i && gnt_i));
  // A write lands in one slot at most; the slot under scrub is one.
  WriteInOneSlot: assert property (@(posedge clk_i) disable iff (!rst_ni)
    $onehot0(wr_hot_q));
  CurOneSlot: assert property (@(posedge clk_i) disable iff (!rst_ni)
    state_q == ScIdle || (cur_hot_q == NumSlots'(1) << cur_q));
  // marked_q follows the marks.
  logic [NumSlots-1:0] marks_nonzero;
  always_comb
    for (int unsigned s = 0; s < NumSlots; s++) marks_nonzero[s] = mark_q[s] != '0;
  MarkedMatchesMarks: assert property (@(posedge clk_i) disable iff (!rst_ni)
    marked_q == marks_nonzero);
  // The slot under scrub stays dirty (pending) until it is closed.
  CurPending: assert property (@(posedge clk_i) disable iff (!rst_ni)
    state_q == ScIdle || pending_q[cur_q]);
  // Zero lines go only to the slot under scrub, within the slot.
  ScrubInSlot: assert property (@(posedge clk_i) disable iff (!rst_ni)
    !req_o || 32'(pos_q) < (32'(cur_q) < NUM_PROG_SLOTS ? ProgLines :
                            32'(cur_q) < MapSlot0       ? DataLines : MapLines));
`endif

endmodule
