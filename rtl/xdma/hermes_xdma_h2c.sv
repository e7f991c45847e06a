// SPDX-License-Identifier: MIT
// H2C data mover: host memory (AXI4 reads) to card memory (line port).
//
// The issuer takes descriptors from the fetcher, checks the card range,
// and issues read bursts (at most MAX_BURST beats, never across a
// MAX_BURST-beat boundary, at most MAX_RD outstanding); it runs ahead into
// the following descriptors while earlier data is still in flight. The
// sink takes the descriptors in the same order, realigns the returning
// beats to the card address and writes them as lines with byte enables.
module hermes_xdma_h2c #(
  parameter int unsigned LINE_AW    = 19,
  parameter int unsigned MAX_RD     = 16,
  parameter int unsigned MAX_BURST  = 16,
  parameter int unsigned INFL       = 8
) (
  input  logic               clk_i,
  input  logic               rst_ni,

  input  logic               clear_i,   // start of a run: clear sticky errors
  input  logic               halt_i,    // take no new descriptors

  input  logic               d_valid_i,
  input  logic [7:0]         d_ctrl_i,
  input  logic [27:0]        d_len_i,
  input  logic [63:0]        d_src_i,
  input  logic [63:0]        d_dst_i,
  input  logic               d_bad_i,  // card range beyond CARD_BYTES (checked by the fetcher)
  input  logic [5:0]         d_dend_i, // (dst + len) mod 64 (from the fetcher)
  output logic               d_pop_o,

  output logic               ar_valid_o,
  output logic [63:0]        ar_addr_o,
  output logic [7:0]         ar_len_o,
  input  logic               ar_ready_i,
  input  logic               r_valid_i,
  input  logic [511:0]       r_data_i,
  input  logic [1:0]         r_resp_i,
  input  logic               r_last_i,
  output logic               r_ready_o,

  output logic               lp_req_o,
  output logic [LINE_AW-1:0] lp_addr_o,
  output logic [511:0]       lp_wdata_o,
  output logic [63:0]        lp_be_o,
  input  logic               lp_gnt_i,

  output logic               cmpl_o,       // a descriptor completed
  output logic [7:0]         cmpl_ctrl_o,  // its control bits
  output logic               beat_o,       // a data beat moved
  output logic               range_err_o,  // card range outside BAR4
  output logic [1:0]         rd_err_o,     // {slave, decode} error reading host
  output logic               idle_o
);

  localparam int unsigned InflW = 8 + 6 + 6 + 6 + 28 + LINE_AW;
  localparam int unsigned OutW  = $clog2(MAX_RD + 1);
  localparam int unsigned BurstLineW = $clog2(MAX_BURST) > 0 ? $clog2(MAX_BURST) : 1;
  localparam int unsigned BlenW = $clog2(MAX_BURST + 1);
  localparam int unsigned BurstByteW = $clog2(MAX_BURST) + 6;

  // ---- issuer ----
  logic         iss_active_q;
  logic [57:0]  iss_line_q;   // host line address
  logic [22:0]  iss_left_q;   // beats left to request
  // The burst at iss_line_q is the last (iss_left_q <= room), known a clock
  // ahead: the burst length is then a choice, not a compare.
  logic         iss_last_q;
  logic [OutW-1:0] out_q;
  logic         range_err_q;
  logic [1:0]   rd_err_q;
  logic         infl_full, infl_empty, infl_push, infl_pop;
  logic [$clog2(INFL+1)-1:0] infl_cnt;
  logic [InflW-1:0] infl_wdata, infl_rdata;
  logic         take;
  logic [22:0]  d_nb;
  logic [22:0]  room;
  logic [BlenW-1:0] blen;

  assign d_nb  = (d_len_i == '0) ? '0 : 23'((32'(d_src_i[5:0]) + 32'(d_len_i) + 63) >> 6);

  assign take      = d_valid_i && !halt_i && !iss_active_q && !infl_full &&
                     !range_err_q && rd_err_q == '0;
  assign d_pop_o   = take;
  assign infl_push = take && !d_bad_i;
  assign infl_wdata = {d_ctrl_i, d_src_i[5:0], d_dst_i[5:0], d_dend_i, d_len_i, d_dst_i[6 +: LINE_AW]};

  assign room = hermes_xdma_pkg::burst_room(MAX_BURST, 23'(iss_line_q[BurstLineW-1:0]));
  assign blen = iss_last_q ? BlenW'(iss_left_q) : BlenW'(room);

  assign ar_valid_o = iss_active_q && (32'(out_q) < MAX_RD);
  assign ar_addr_o  = {iss_line_q, 6'b0};
  assign ar_len_o   = 8'(blen) - 8'd1;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      iss_active_q <= 1'b0;
      iss_line_q   <= '0;
      iss_left_q   <= '0;
      iss_last_q   <= 1'b0;
      out_q        <= '0;
      range_err_q  <= 1'b0;
    end else begin
      out_q <= out_q + OutW'(ar_valid_o && ar_ready_i)
                     - OutW'(r_valid_i && r_ready_o && r_last_i);
      if (take) begin
        if (d_bad_i) begin
          range_err_q <= 1'b1;
        end else begin
          iss_active_q <= d_nb != '0;
          iss_line_q   <= d_src_i[63:6];
          iss_left_q   <= d_nb;
          // Beats <= room, in bytes and without the division: from the burst
          // boundary below the first byte to the last, at most a burst. (A
          // zero len does not matter: nothing to issue.)
          iss_last_q   <= 32'(d_src_i[BurstByteW-1:0]) + 32'(d_len_i) <= 64 * MAX_BURST;
        end
      end else if (ar_valid_o && ar_ready_i) begin
        iss_line_q <= iss_line_q + 58'(blen);
        iss_left_q <= iss_left_q - 23'(blen);
        // Past this burst the next starts at a boundary, a whole burst of room.
        iss_last_q <= iss_left_q <= room + 23'(MAX_BURST);
        if (iss_last_q) iss_active_q <= 1'b0;
      end
      if (clear_i) range_err_q <= 1'b0;
    end
  end

  hermes_xdma_fifo #(.WIDTH(InflW), .DEPTH(INFL)) u_infl (
    .clk_i,
    .rst_ni,
    .flush_i (1'b0),
    .push_i  (infl_push),
    .wdata_i (infl_wdata),
    .pop_i   (infl_pop),
    .rdata_o (infl_rdata),
    .empty_o (infl_empty),
    .full_o  (infl_full),
    .count_o (infl_cnt)
  );

  // ---- sink ----
  logic         sink_busy_q;
  logic [7:0]   sink_ctrl_q;
  logic [LINE_AW-1:0] sink_line_q;
  logic         sink_err_q;
  logic [7:0]   h_ctrl;
  logic [5:0]   h_so, h_do, h_dend;
  logic [27:0]  h_len;
  logic [LINE_AW-1:0] h_line;
  logic         ra_done, ra_in_ready, ra_out_valid, ra_last, ra_first;
  logic [511:0] ra_data;
  logic [63:0]  ra_be;
  logic         beat_err;

  assign {h_ctrl, h_so, h_do, h_dend, h_len, h_line} = infl_rdata;
  assign infl_pop = !sink_busy_q && !infl_empty;

  hermes_xdma_realign u_realign (
    .clk_i,
    .rst_ni,
    .start_i     (infl_pop),
    .so_i        (h_so),
    .do_i        (h_do),
    .len_i       (h_len),
    .end_i       (h_dend),
    .done_o      (ra_done),
    .in_valid_i  (sink_busy_q && r_valid_i),
    .in_data_i   (r_data_i),
    .in_ready_o  (ra_in_ready),
    .out_valid_o (ra_out_valid),
    .out_data_o  (ra_data),
    .out_be_o    (ra_be),
    .out_first_o (ra_first),
    .out_last_o  (ra_last),
    .out_ready_i (lp_gnt_i)
  );

  assign r_ready_o = sink_busy_q && ra_in_ready;
  assign beat_err  = r_valid_i && r_ready_o && r_resp_i != 2'b00;

  assign lp_req_o   = sink_busy_q && ra_out_valid;
  assign lp_addr_o  = sink_line_q;
  assign lp_wdata_o = ra_data;
  assign lp_be_o    = (sink_err_q || beat_err) ? '0 : ra_be;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      sink_busy_q <= 1'b0;
      sink_ctrl_q <= '0;
      sink_line_q <= '0;
      sink_err_q  <= 1'b0;
      rd_err_q    <= '0;
    end else begin
      if (infl_pop) begin
        sink_busy_q <= 1'b1;
        sink_ctrl_q <= h_ctrl;
        sink_line_q <= h_line;
        sink_err_q  <= 1'b0;
      end else if (sink_busy_q && ra_done) begin
        sink_busy_q <= 1'b0;
      end
      if (lp_req_o && lp_gnt_i) sink_line_q <= sink_line_q + 1'b1;
      if (beat_err) begin
        sink_err_q <= 1'b1;
        rd_err_q   <= rd_err_q | ((r_resp_i == 2'b11) ? 2'b01 : 2'b10);
      end
      if (clear_i) rd_err_q <= '0;
    end
  end

  assign cmpl_o      = sink_busy_q && ra_done;
  assign cmpl_ctrl_o = sink_ctrl_q;
  assign beat_o      = r_valid_i && r_ready_o;
  assign range_err_o = range_err_q;
  assign rd_err_o    = rd_err_q;
  assign idle_o      = !iss_active_q && infl_empty && !sink_busy_q && out_q == '0;

`ifndef SYNTHESIS
  always_ff @(posedge clk_i) begin
    if (rst_ni) assert (!iss_active_q || iss_last_q == (iss_left_q <= room))
      else $error("hermes_xdma_h2c: iss_last_q out of step with iss_left_q");
  end
`endif

  logic unused;
  // The card address bits above the line: the fetcher's range check.
  assign unused = ^{ra_last, ra_first, infl_cnt, d_dst_i[63:6+LINE_AW]};

endmodule
