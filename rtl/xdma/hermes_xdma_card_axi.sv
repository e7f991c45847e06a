// SPDX-License-Identifier: MIT
// The shell model's path into the card: the XDMA block's line port turned
// into AXI4 transactions on the card's BAR4 slave, as the F1 shell's DMA
// engine drives sh_cl_dma_pcis. Every line is one single-beat INCR burst
// (AxLEN 0, AxSIZE 6); AW/W and AR go out from registers, so a line is taken
// (lp_gnt_o) whenever its channel's register is free or leaving, and one
// line per clock moves while the card keeps up. Reads are answered in order
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

  localparam int unsigned CntW = $clog2(MAX_RD + 1) + 1;

  logic               aw_valid_q, w_valid_q, ar_valid_q;
  logic [LINE_AW-1:0] aw_line_q, ar_line_q;
  logic [511:0]       w_data_q;
  logic [63:0]        w_strb_q;
  logic [CntW-1:0]    rd_out_q, wr_out_q;   // reads / writes awaiting R / B
  logic               aw_free, w_free, ar_free, take_wr, take_rd;

  assign aw_free  = !aw_valid_q || m_awready_i;
  assign w_free   = !w_valid_q || m_wready_i;
  assign ar_free  = (!ar_valid_q || m_arready_i) && 32'(rd_out_q) < MAX_RD;
  assign lp_gnt_o = lp_req_i && (lp_we_i ? (aw_free && w_free) : ar_free);
  assign take_wr  = lp_gnt_o && lp_we_i;
  assign take_rd  = lp_gnt_o && !lp_we_i;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      aw_valid_q <= 1'b0;
      w_valid_q  <= 1'b0;
      ar_valid_q <= 1'b0;
      aw_line_q  <= '0;
      ar_line_q  <= '0;
      w_data_q   <= '0;
      w_strb_q   <= '0;
      rd_out_q   <= '0;
      wr_out_q   <= '0;
    end else begin
      if (m_awready_i) aw_valid_q <= 1'b0;
      if (m_wready_i)  w_valid_q  <= 1'b0;
      if (m_arready_i) ar_valid_q <= 1'b0;
      if (take_wr) begin
        aw_valid_q <= 1'b1;
        w_valid_q  <= 1'b1;
        aw_line_q  <= lp_addr_i;
        w_data_q   <= lp_wdata_i;
        w_strb_q   <= lp_be_i;
      end
      if (take_rd) begin
        ar_valid_q <= 1'b1;
        ar_line_q  <= lp_addr_i;
      end
      rd_out_q <= rd_out_q + CntW'(take_rd) - CntW'(m_rvalid_i);
      wr_out_q <= wr_out_q + CntW'(take_wr) - CntW'(m_bvalid_i);
    end
  end

  assign m_awid_o    = '0;
  assign m_awaddr_o  = 64'(aw_line_q) << 6;
  assign m_awlen_o   = 8'd0;
  assign m_awsize_o  = 3'd6;
  assign m_awburst_o = 2'b01;
  assign m_awvalid_o = aw_valid_q;
  assign m_wdata_o   = w_data_q;
  assign m_wstrb_o   = w_strb_q;
  assign m_wlast_o   = 1'b1;
  assign m_wvalid_o  = w_valid_q;
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
  assign busy_o      = aw_valid_q || w_valid_q || ar_valid_q || rd_out_q != '0 || wr_out_q != '0;

  logic unused;
  assign unused = ^{m_bid_i, m_rid_i, m_rlast_i};

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
