// SPDX-License-Identifier: MIT
// C2H data mover: card memory (line port reads) to host memory (AXI4
// writes), one descriptor at a time.
//
// For a descriptor, three processes run side by side: the reader requests
// card lines (as many in flight as the return FIFO can take), the
// realigner turns them into host-aligned beats with strobes on W, and the
// address issuer sends the matching AW bursts (never across a
// MAX_BURST-beat boundary, so W knows where each burst ends). The
// descriptor completes when every beat is out and every burst answered.
module hermes_xdma_c2h #(
  parameter int unsigned LINE_AW    = 19,
  parameter int unsigned MAX_WR     = 16,
  parameter int unsigned MAX_BURST  = 16
) (
  input  logic               clk_i,
  input  logic               rst_ni,

  input  logic               clear_i,
  input  logic               halt_i,

  input  logic               d_valid_i,
  input  logic [7:0]         d_ctrl_i,
  input  logic [27:0]        d_len_i,
  input  logic [63:0]        d_src_i,
  input  logic [63:0]        d_dst_i,
  input  logic               d_bad_i,  // card range beyond CARD_BYTES (checked by the fetcher)
  input  logic [5:0]         d_dend_i, // (dst + len) mod 64 (from the fetcher)
  output logic               d_pop_o,

  output logic               aw_valid_o,
  output logic [63:0]        aw_addr_o,
  output logic [7:0]         aw_len_o,
  input  logic               aw_ready_i,
  output logic               w_valid_o,
  output logic [511:0]       w_data_o,
  output logic [63:0]        w_strb_o,
  output logic               w_last_o,
  input  logic               w_ready_i,
  input  logic               b_valid_i,
  input  logic [1:0]         b_resp_i,
  output logic               b_ready_o,

  output logic               lp_req_o,
  output logic [LINE_AW-1:0] lp_addr_o,
  input  logic               lp_gnt_i,
  input  logic               lp_rvalid_i,
  input  logic [511:0]       lp_rdata_i,

  output logic               cmpl_o,
  output logic [7:0]         cmpl_ctrl_o,
  output logic               beat_o,
  output logic               range_err_o,  // card range outside BAR4
  output logic [1:0]         wr_err_o,     // {slave, decode} error writing host
  output logic               idle_o
);

  // Lines in flight or buffered: the card's BAR4 round trip (bridge, BAR4
  // slave, slot memory) is about 6 clocks, so 8 keep a line moving a clock.
  localparam int unsigned RfDepth = 8;
  localparam int unsigned RfCntW  = $clog2(RfDepth + 1);
  localparam int unsigned BOutW   = $clog2(MAX_WR + 1);
  localparam int unsigned BurstLineW = $clog2(MAX_BURST) > 0 ? $clog2(MAX_BURST) : 1;
  localparam int unsigned BlenW = $clog2(MAX_BURST + 1);
  localparam int unsigned BurstByteW = $clog2(MAX_BURST) + 6;

  logic         busy_q;
  logic [7:0]   ctrl_q;
  logic         range_err_q;
  logic [1:0]   wr_err_q;
  logic [LINE_AW-1:0] rd_line_q;
  logic [22:0]  rd_left_q;
  logic         rd_more_q;  // rd_left_q != 0, a clock ahead: it gates the line request
  logic [RfCntW-1:0] rd_infl_q;
  logic [57:0]  aw_line_q, w_line_q;
  logic [22:0]  aw_left_q;
  // aw_left_q != 0, and the burst at aw_line_q is the last (aw_left_q <=
  // room): known a clock ahead, so that AW valid and the burst length are
  // not compares.
  logic         aw_more_q, aw_last_q;
  logic [BOutW-1:0] b_out_q;

  logic         take;
  logic [22:0]  d_nb, d_nd;
  logic [22:0]  room;
  logic [BlenW-1:0] blen;

  assign d_nb  = (d_len_i == '0) ? '0 : 23'((32'(d_src_i[5:0]) + 32'(d_len_i) + 63) >> 6);
  assign d_nd  = (d_len_i == '0) ? '0 : 23'((32'(d_dst_i[5:0]) + 32'(d_len_i) + 63) >> 6);

  assign take    = d_valid_i && !halt_i && !busy_q && !range_err_q && wr_err_q == '0;
  assign d_pop_o = take;

  // ---- card reader ----
  logic rf_empty, rf_pop, rf_full;
  logic [RfCntW-1:0] rf_cnt;
  logic [511:0] rf_data;

  assign lp_req_o  = busy_q && rd_more_q && (32'(rd_infl_q) + 32'(rf_cnt) < RfDepth);
  assign lp_addr_o = rd_line_q;

  hermes_xdma_fifo #(.WIDTH(512), .DEPTH(RfDepth)) u_rfifo (
    .clk_i,
    .rst_ni,
    .flush_i (1'b0),
    .push_i  (lp_rvalid_i),
    .wdata_i (lp_rdata_i),
    .pop_i   (rf_pop),
    .rdata_o (rf_data),
    .empty_o (rf_empty),
    .full_o  (rf_full),
    .count_o (rf_cnt)
  );

  // ---- realigner to W ----
  logic ra_done, ra_in_ready, ra_out_valid, ra_first, ra_last;
  logic burst_end;

  hermes_xdma_realign u_realign (
    .clk_i,
    .rst_ni,
    .start_i     (take && !d_bad_i),
    .so_i        (d_src_i[5:0]),
    .do_i        (d_dst_i[5:0]),
    .len_i       (d_len_i),
    .end_i       (d_dend_i),
    .done_o      (ra_done),
    .in_valid_i  (!rf_empty),
    .in_data_i   (rf_data),
    .in_ready_o  (ra_in_ready),
    .out_valid_o (ra_out_valid),
    .out_data_o  (w_data_o),
    .out_be_o    (w_strb_o),
    .out_first_o (ra_first),
    .out_last_o  (ra_last),
    .out_ready_i (w_ready_i)
  );

  assign rf_pop = !rf_empty && ra_in_ready;

  if (MAX_BURST > 1) begin : g_burst
    assign burst_end = &w_line_q[BurstLineW-1:0];
  end else begin : g_burst1
    assign burst_end = 1'b1;
  end
  assign room = hermes_xdma_pkg::burst_room(MAX_BURST, 23'(aw_line_q[BurstLineW-1:0]));

  assign w_valid_o = busy_q && ra_out_valid;
  assign w_last_o  = ra_last || burst_end;

  // ---- address issuer and responses ----
  assign blen       = aw_last_q ? BlenW'(aw_left_q) : BlenW'(room);
  assign aw_valid_o = busy_q && aw_more_q && (32'(b_out_q) < MAX_WR);
  assign aw_addr_o  = {aw_line_q, 6'b0};
  assign aw_len_o   = 8'(blen) - 8'd1;
  assign b_ready_o  = 1'b1;

  assign cmpl_o = busy_q && ra_done && !rd_more_q && rd_infl_q == '0 &&
                  !aw_more_q && b_out_q == '0;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      busy_q      <= 1'b0;
      ctrl_q      <= '0;
      range_err_q <= 1'b0;
      wr_err_q    <= '0;
      rd_line_q   <= '0;
      rd_left_q   <= '0;
      rd_more_q   <= 1'b0;
      rd_infl_q   <= '0;
      aw_line_q   <= '0;
      w_line_q    <= '0;
      aw_left_q   <= '0;
      aw_more_q   <= 1'b0;
      aw_last_q   <= 1'b0;
      b_out_q     <= '0;
    end else begin
      rd_infl_q <= rd_infl_q + RfCntW'(lp_req_o && lp_gnt_i) - RfCntW'(lp_rvalid_i);
      b_out_q   <= b_out_q + BOutW'(aw_valid_o && aw_ready_i) - BOutW'(b_valid_i);
      if (take) begin
        if (d_bad_i) begin
          range_err_q <= 1'b1;
        end else begin
          busy_q    <= 1'b1;
          ctrl_q    <= d_ctrl_i;
          rd_line_q <= d_src_i[6 +: LINE_AW];
          rd_left_q <= d_nb;
          rd_more_q <= d_len_i != '0;
          aw_line_q <= d_dst_i[63:6];
          w_line_q  <= d_dst_i[63:6];
          aw_left_q <= d_nd;
          aw_more_q <= d_len_i != '0;
          // Beats <= room, in bytes and without the division: from the burst
          // boundary below the first byte to the last, at most a burst. (A
          // zero len does not matter: nothing to issue.)
          aw_last_q <= 32'(d_dst_i[BurstByteW-1:0]) + 32'(d_len_i) <= 64 * MAX_BURST;
        end
      end else begin
        if (lp_req_o && lp_gnt_i) begin
          rd_line_q <= rd_line_q + 1'b1;
          rd_left_q <= rd_left_q - 1'b1;
          rd_more_q <= rd_left_q != 23'd1;
        end
        if (aw_valid_o && aw_ready_i) begin
          aw_line_q <= aw_line_q + 58'(blen);
          aw_left_q <= aw_left_q - 23'(blen);
          aw_more_q <= !aw_last_q;
          // Past this burst the next starts at a boundary, a whole burst of room.
          aw_last_q <= aw_left_q <= room + 23'(MAX_BURST);
        end
        if (w_valid_o && w_ready_i) w_line_q <= w_line_q + 1'b1;
        if (cmpl_o) busy_q <= 1'b0;
      end
      if (b_valid_i && b_resp_i != 2'b00)
        wr_err_q <= wr_err_q | ((b_resp_i == 2'b11) ? 2'b01 : 2'b10);
      if (clear_i) begin
        range_err_q <= 1'b0;
        wr_err_q    <= '0;
      end
    end
  end

  assign cmpl_ctrl_o = ctrl_q;
  assign beat_o      = w_valid_o && w_ready_i;
  assign range_err_o = range_err_q;
  assign wr_err_o    = wr_err_q;
  assign idle_o      = !busy_q && b_out_q == '0;

`ifndef SYNTHESIS
  always_ff @(posedge clk_i) begin
    if (rst_ni) assert (rd_more_q == (rd_left_q != '0))
      else $error("hermes_xdma_c2h: rd_more_q out of step with rd_left_q");
    if (rst_ni) assert (aw_more_q == (aw_left_q != '0) &&
                        (!aw_more_q || aw_last_q == (aw_left_q <= room)))
      else $error("hermes_xdma_c2h: aw_more_q/aw_last_q out of step with aw_left_q");
  end
`endif

  logic unused;
  // The card address bits above the line: the fetcher's range check.
  assign unused = ^{ra_first, rf_full, d_src_i[63:6+LINE_AW]};

endmodule
