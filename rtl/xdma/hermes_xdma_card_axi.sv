// SPDX-License-Identifier: MIT
// The shell model's path into the card: the XDMA block's line port turned
// into AXI4 transactions on the card's BAR4 slave, as the F1 shell's DMA
// engine drives sh_cl_dma_pcis. Every line is one single-beat INCR burst
// (AxLEN 0, AxSIZE 6); AW and W go out of small queues, AR from a register,
// so a line is taken (lp_gnt_o) while there is room, and one line per clock
// moves while the card keeps up. Reads are answered in order
// (one ID); B responses are taken at once. A response other than OKAY is a
// defect of the shell model (it only asks for lines inside the card) and
// stops the simulation in a debug build.
module hermes_xdma_card_axi #(
  parameter int unsigned ID_W    = 6,
  parameter int unsigned LINE_AW = 19,
  parameter int unsigned MAX_RD  = 16   // line reads in flight
) (
  input  logic               clk_i,
  input  logic               rst_ni,

  input  logic               lp_req_i,
  input  logic               lp_we_i,
  input  logic [LINE_AW-1:0] lp_addr_i,
  input  logic [511:0]       lp_wdata_i,
  input  logic [63:0]        lp_be_i,
  output logic               lp_gnt_o,
  output logic               lp_rvalid_o,
  output logic [511:0]       lp_rdata_o,

  output logic [ID_W-1:0]    m_awid_o,
  output logic [63:0]        m_awaddr_o,
  output logic [7:0]         m_awlen_o,
  output logic [2:0]         m_awsize_o,
  output logic [1:0]         m_awburst_o,
  output logic               m_awvalid_o,
  input  logic               m_awready_i,
  output logic [511:0]       m_wdata_o,
  output logic [63:0]        m_wstrb_o,
  output logic               m_wlast_o,
  output logic               m_wvalid_o,
  input  logic               m_wready_i,
  input  logic [ID_W-1:0]    m_bid_i,
  input  logic [1:0]         m_bresp_i,
  input  logic               m_bvalid_i,
  output logic               m_bready_o,
  output logic [ID_W-1:0]    m_arid_o,
  output logic [63:0]        m_araddr_o,
  output logic [7:0]         m_arlen_o,
  output logic [2:0]         m_arsize_o,
  output logic [1:0]         m_arburst_o,
  output logic               m_arvalid_o,
  input  logic               m_arready_i,
  input  logic [ID_W-1:0]    m_rid_i,
  input  logic [511:0]       m_rdata_i,
  input  logic [1:0]         m_rresp_i,
  input  logic               m_rlast_i,
  input  logic               m_rvalid_i,
  output logic               m_rready_o,

  // Transactions issued and not yet answered.
  output logic               busy_o
);

  localparam int unsigned CntW    = $clog2(MAX_RD + 1) + 1;
  // Write addresses and data queue separately: the card takes a burst's
  // address a clock before its data, so the next line's address must be
  // out while this line's data is.
  localparam int unsigned WrDepth = 4;

  logic               ar_valid_q;
  logic [LINE_AW-1:0] ar_line_q;
  logic [CntW-1:0]    rd_out_q, wr_out_q;   // reads / writes awaiting R / B
  logic               ar_free, take_wr, take_rd;
  logic               aw_empty, aw_full, w_empty, w_full;
  logic [LINE_AW-1:0] aw_line;
  logic [575:0]       w_head;
  logic [$clog2(WrDepth + 1)-1:0] aw_cnt, w_cnt;

  assign ar_free  = (!ar_valid_q || m_arready_i) && 32'(rd_out_q) < MAX_RD;
  assign lp_gnt_o = lp_req_i && (lp_we_i ? (!aw_full && !w_full) : ar_free);
  assign take_wr  = lp_gnt_o && lp_we_i;
  assign take_rd  = lp_gnt_o && !lp_we_i;

  hermes_xdma_fifo #(.WIDTH(LINE_AW), .DEPTH(WrDepth)) u_awq (
    .clk_i,
    .rst_ni,
    .flush_i (1'b0),
    .push_i  (take_wr),
    .wdata_i (lp_addr_i),
    .pop_i   (m_awvalid_o && m_awready_i),
    .rdata_o (aw_line),
    .empty_o (aw_empty),
    .full_o  (aw_full),
    .count_o (aw_cnt)
  );

  hermes_xdma_fifo #(.WIDTH(576), .DEPTH(WrDepth)) u_wq (
    .clk_i,
    .rst_ni,
    .flush_i (1'b0),
    .push_i  (take_wr),
    .wdata_i ({lp_be_i, lp_wdata_i}),
    .pop_i   (m_wvalid_o && m_wready_i),
    .rdata_o (w_head),
    .empty_o (w_empty),
    .full_o  (w_full),
    .count_o (w_cnt)
  );

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      ar_valid_q <= 1'b0;
      ar_line_q  <= '0;
      rd_out_q   <= '0;
      wr_out_q   <= '0;
    end else begin
      if (m_arready_i) ar_valid_q <= 1'b0;
      if (take_rd) begin
        ar_valid_q <= 1'b1;
        ar_line_q  <= lp_addr_i;
      end
      rd_out_q <= rd_out_q + CntW'(take_rd) - CntW'(m_rvalid_i);
      wr_out_q <= wr_out_q + CntW'(take_wr) - CntW'(m_bvalid_i);
    end
  end

  assign m_awid_o    = '0;
  assign m_awaddr_o  = 64'(aw_line) << 6;
  assign m_awlen_o   = 8'd0;
  assign m_awsize_o  = 3'd6;
  assign m_awburst_o = 2'b01;
  assign m_awvalid_o = !aw_empty;
  assign m_wdata_o   = w_head[511:0];
  assign m_wstrb_o   = w_head[575:512];
  assign m_wlast_o   = 1'b1;
  assign m_wvalid_o  = !w_empty;
  assign m_bready_o  = 1'b1;
  assign m_arid_o    = '0;
  assign m_araddr_o  = 64'(ar_line_q) << 6;
  assign m_arlen_o   = 8'd0;
  assign m_arsize_o  = 3'd6;
  assign m_arburst_o = 2'b01;
  assign m_arvalid_o = ar_valid_q;
  assign m_rready_o  = 1'b1;

  assign lp_rvalid_o = m_rvalid_i;
  assign lp_rdata_o  = m_rdata_i;
  assign busy_o      = !aw_empty || !w_empty || ar_valid_q || rd_out_q != '0 || wr_out_q != '0;

  logic unused;
  assign unused = ^{m_bid_i, m_rid_i, m_rlast_i, aw_cnt, w_cnt};

`ifndef SYNTHESIS
  always_ff @(posedge clk_i) begin
    if (rst_ni) begin
      assert (!m_bvalid_i || m_bresp_i == 2'b00)
        else $fatal(1, "hermes_xdma_card_axi: card answered a line write with %0d", m_bresp_i);
      assert (!m_rvalid_i || m_rresp_i == 2'b00)
        else $fatal(1, "hermes_xdma_card_axi: card answered a line read with %0d", m_rresp_i);
    end
  end
`endif

endmodule
