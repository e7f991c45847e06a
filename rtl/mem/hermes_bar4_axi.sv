// SPDX-License-Identifier: MIT
// BAR4: AXI4 slave (512-bit data, ID_W-bit IDs) onto the slot memory's line
// port (docs/RTL_INTERFACES.md "BAR4 AXI4 slave").
//
// One write burst and one read burst are worked on at a time; the next
// address is taken in the clock the current burst's last beat is, so
// back-to-back single-beat bursts move one line per clock. INCR bursts of
// 1..MAX_BEATS beats of 64 bytes (AxSIZE 6); write strobes are per byte. A
// burst that is not INCR, not full width or longer than MAX_BEATS answers
// SLVERR on every beat, one that reaches past CARD_BYTES answers DECERR;
// neither touches the memory, and its W beats are still taken (never a
// hang). Reads are answered in order through a small response FIFO, so
// RREADY low only stops new line reads. Line reads and writes take turns
// on the port while both want it.
module hermes_bar4_axi #(
  parameter int unsigned ID_W       = 6,
  parameter int unsigned CARD_BYTES = 32'h0110_0000,
  parameter int unsigned LINE_AW    = 19,
  parameter int unsigned MAX_BEATS  = 64,
  parameter int unsigned RD_DEPTH   = 4    // read beats in flight or buffered
) (
  input  logic               clk_i,
  input  logic               rst_ni,

  input  logic [ID_W-1:0]    s_awid_i,
  input  logic [63:0]        s_awaddr_i,
  input  logic [7:0]         s_awlen_i,
  input  logic [2:0]         s_awsize_i,
  input  logic [1:0]         s_awburst_i,
  input  logic               s_awvalid_i,
  output logic               s_awready_o,
  input  logic [511:0]       s_wdata_i,
  input  logic [63:0]        s_wstrb_i,
  input  logic               s_wlast_i,
  input  logic               s_wvalid_i,
  output logic               s_wready_o,
  output logic [ID_W-1:0]    s_bid_o,
  output logic [1:0]         s_bresp_o,
  output logic               s_bvalid_o,
  input  logic               s_bready_i,
  input  logic [ID_W-1:0]    s_arid_i,
  input  logic [63:0]        s_araddr_i,
  input  logic [7:0]         s_arlen_i,
  input  logic [2:0]         s_arsize_i,
  input  logic [1:0]         s_arburst_i,
  input  logic               s_arvalid_i,
  output logic               s_arready_o,
  output logic [ID_W-1:0]    s_rid_o,
  output logic [511:0]       s_rdata_o,
  output logic [1:0]         s_rresp_o,
  output logic               s_rlast_o,
  output logic               s_rvalid_o,
  input  logic               s_rready_i,

  // Line port (as hermes_slot_mem's DMA port): reads answered in order.
  output logic               lp_req_o,
  output logic               lp_we_o,
  output logic [LINE_AW-1:0] lp_addr_o,
  output logic [511:0]       lp_wdata_o,
  output logic [63:0]        lp_be_o,
  input  logic               lp_gnt_i,
  input  logic               lp_rvalid_i,
  input  logic [511:0]       lp_rdata_i,

  // A burst is accepted and not yet answered.
  output logic               busy_o
);

  localparam logic [1:0] RespOkay   = 2'b00;
  localparam logic [1:0] RespSlverr = 2'b10;
  localparam logic [1:0] RespDecerr = 2'b11;
  localparam int unsigned CntW = $clog2(RD_DEPTH + 1);

  typedef struct packed {
    logic [ID_W-1:0]    id;
    logic [LINE_AW-1:0] line;   // next line of the burst
    logic [7:0]         left;   // beats after this one
    logic               last;   // left == 0, registered: off the handshake's path
    logic [1:0]         resp;   // OKAY, or the error every beat answers
  } burst_t;

  // The response a burst gets, decided from its address phase alone.
  // (No `return`: the area flow's yosys 0.23 does not parse it.)
  function automatic logic [1:0] burst_resp(logic [63:0] addr, logic [7:0] len,
                                            logic [2:0] size, logic [1:0] kind);
    logic [64:0] last_byte;
    last_byte = 65'(addr) + 65'({len, 6'd0}) + 65'd63;
    if (kind != 2'b01 || size != 3'd6 || 32'(len) >= MAX_BEATS) burst_resp = RespSlverr;
    else if (last_byte >= 65'(CARD_BYTES) + 65'(addr[5:0]))     burst_resp = RespDecerr;
    else                                                         burst_resp = RespOkay;
  endfunction

  // ---- write channel ----
  burst_t     wb_q;
  logic       wb_valid_q;
  logic       b_valid_q;
  logic [ID_W-1:0] b_id_q;
  logic [1:0] b_resp_q;
  logic       w_mem, w_beat, w_last, w_take_aw, w_gnt;

  assign w_mem     = wb_valid_q && wb_q.resp == RespOkay;
  // A beat goes when memory takes it (or at once for an error burst); the
  // last one only when the B register is free to hold its response.
  assign w_last    = wb_q.last;
  assign s_wready_o = wb_valid_q && (!w_last || !b_valid_q || s_bready_i) &&
                      (w_mem ? w_gnt : 1'b1);
  assign w_beat    = s_wvalid_i && s_wready_o;
  assign w_take_aw = !wb_valid_q || (w_beat && w_last);
  assign s_awready_o = w_take_aw;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      wb_valid_q <= 1'b0;
      wb_q       <= '0;
      b_valid_q  <= 1'b0;
      b_id_q     <= '0;
      b_resp_q   <= RespOkay;
    end else begin
      if (s_bvalid_o && s_bready_i) b_valid_q <= 1'b0;
      if (w_beat) begin
        wb_q.line <= wb_q.line + 1'b1;
        wb_q.left <= wb_q.left - 1'b1;
        wb_q.last <= wb_q.left == 8'd1;
        if (w_last) begin
          wb_valid_q <= 1'b0;
          b_valid_q  <= 1'b1;
          b_id_q     <= wb_q.id;
          b_resp_q   <= wb_q.resp;
        end
      end
      if (s_awvalid_i && s_awready_o) begin
        wb_valid_q <= 1'b1;
        wb_q.id    <= s_awid_i;
        wb_q.line  <= LINE_AW'(s_awaddr_i >> 6);
        wb_q.left  <= s_awlen_i;
        wb_q.last  <= s_awlen_i == '0;
        wb_q.resp  <= burst_resp(s_awaddr_i, s_awlen_i, s_awsize_i, s_awburst_i);
      end
    end
  end

  assign s_bvalid_o = b_valid_q;
  assign s_bid_o    = b_id_q;
  assign s_bresp_o  = b_resp_q;

  // ---- read channel ----
  typedef struct packed {
    logic [ID_W-1:0] id;
    logic            last;
    logic [1:0]      resp;
  } rmeta_t;
  // The width of rmeta_t, spelled out: the area flow's yosys 0.23 cannot take
  // $bits of a type (checked against the type in simulation, below).
  localparam int unsigned RmetaW = ID_W + 3;

  burst_t     rb_q;
  logic       rb_valid_q;
  logic       r_mem, r_issue, r_err_beat, r_gnt, r_room, r_take_ar;
  logic       meta_empty, meta_full, data_empty, data_full;
  logic [CntW-1:0] meta_cnt, data_cnt;
  rmeta_t     meta_head, issue_meta;
  logic [511+RmetaW:0] data_head;

  assign r_mem      = rb_valid_q && rb_q.resp == RespOkay;
  // Room for one more beat among those in flight and those buffered.
  assign r_room     = 32'(meta_cnt) + 32'(data_cnt) < RD_DEPTH;
  // An error burst's beats are queued only once nothing is in flight, so
  // they stay in order behind data still coming back.
  assign r_err_beat = rb_valid_q && !r_mem && r_room && meta_empty;
  assign r_issue    = (r_mem && r_room && r_gnt) || r_err_beat;
  assign r_take_ar  = !rb_valid_q || (r_issue && rb_q.last);
  assign s_arready_o = r_take_ar;
  assign issue_meta = {rb_q.id, rb_q.last, rb_q.resp};  // rmeta_t: id, last, resp

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      rb_valid_q <= 1'b0;
      rb_q       <= '0;
    end else begin
      if (r_issue) begin
        rb_q.line <= rb_q.line + 1'b1;
        rb_q.left <= rb_q.left - 1'b1;
        rb_q.last <= rb_q.left == 8'd1;
        if (rb_q.last) rb_valid_q <= 1'b0;
      end
      if (s_arvalid_i && s_arready_o) begin
        rb_valid_q <= 1'b1;
        rb_q.id    <= s_arid_i;
        rb_q.line  <= LINE_AW'(s_araddr_i >> 6);
        rb_q.left  <= s_arlen_i;
        rb_q.last  <= s_arlen_i == '0;
        rb_q.resp  <= burst_resp(s_araddr_i, s_arlen_i, s_arsize_i, s_arburst_i);
      end
    end
  end

  // Metadata of line reads in flight, popped as their data returns.
  hermes_xdma_fifo #(.WIDTH(RmetaW), .DEPTH(RD_DEPTH)) u_rmeta (
    .clk_i,
    .rst_ni,
    .flush_i (1'b0),
    .push_i  (r_mem && r_room && r_gnt),
    .wdata_i (issue_meta),
    .pop_i   (lp_rvalid_i),
    .rdata_o (meta_head),
    .empty_o (meta_empty),
    .full_o  (meta_full),
    .count_o (meta_cnt)
  );

  // Beats ready for the R channel: returned data, or error beats.
  logic [511+RmetaW:0] data_in;
  assign data_in = lp_rvalid_i ? {meta_head, lp_rdata_i} : {issue_meta, 512'd0};

  hermes_xdma_fifo #(.WIDTH(512 + RmetaW), .DEPTH(RD_DEPTH)) u_rdata (
    .clk_i,
    .rst_ni,
    .flush_i (1'b0),
    .push_i  (lp_rvalid_i || r_err_beat),
    .wdata_i (data_in),
    .pop_i   (s_rvalid_o && s_rready_i),
    .rdata_o (data_head),
    .empty_o (data_empty),
    .full_o  (data_full),
    .count_o (data_cnt)
  );

  rmeta_t r_out;
  assign r_out      = data_head[511+RmetaW:512];
  assign s_rvalid_o = !data_empty;
  assign s_rdata_o  = data_head[511:0];
  assign s_rid_o    = r_out.id;
  assign s_rlast_o  = r_out.last;
  assign s_rresp_o  = r_out.resp;

  // ---- line port: reads and writes take turns while both want it ----
  logic rd_want, wr_want, rd_turn_q, pick_rd;
  assign wr_want  = w_mem && s_wvalid_i && (!w_last || !b_valid_q || s_bready_i);
  assign rd_want  = r_mem && r_room;
  assign pick_rd  = rd_want && (!wr_want || rd_turn_q);
  assign lp_req_o = rd_want || wr_want;
  assign lp_we_o  = !pick_rd;
  assign lp_addr_o  = pick_rd ? rb_q.line : wb_q.line;
  assign lp_wdata_o = s_wdata_i;
  assign lp_be_o    = pick_rd ? '0 : s_wstrb_i;
  assign r_gnt    = lp_gnt_i && pick_rd;
  assign w_gnt    = lp_gnt_i && !pick_rd && wr_want;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni)                                 rd_turn_q <= 1'b0;
    else if (lp_gnt_i && rd_want && wr_want)     rd_turn_q <= !rd_turn_q;
  end

  assign busy_o = wb_valid_q || b_valid_q || rb_valid_q || !meta_empty || !data_empty;

  logic unused;
  assign unused = ^{s_wlast_i, data_full, meta_full};

`ifndef SYNTHESIS
  // Data comes back only for reads in flight, and the buffer never overflows.
  always_ff @(posedge clk_i) begin
    if (rst_ni) begin
      assert (!lp_rvalid_i || !meta_empty) else $error("hermes_bar4_axi: line read data without a read");
      assert (!(lp_rvalid_i || r_err_beat) || !data_full || (s_rvalid_o && s_rready_i))
        else $error("hermes_bar4_axi: response FIFO overflow");
    end
  end
`endif

`ifndef SYNTHESIS
  initial assert (RmetaW == $bits(rmeta_t)) else $fatal(1, "hermes_bar4_axi: RmetaW is not the width of rmeta_t");
`endif

endmodule
