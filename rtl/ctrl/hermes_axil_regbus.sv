// SPDX-License-Identifier: MIT
// AXI4-Lite slave to a one-cycle register bus (docs/RTL_INTERFACES.md).
//
// One access at a time: a read is taken when ARVALID is seen, a write when
// both AWVALID and WVALID are (the slave waits for both, as AXI allows).
// Reads win over writes when both arrive in the same cycle; the next access
// is taken in the cycle after the response handshake, so back-to-back
// accesses cost three clocks each. Misaligned addresses are answered SLVERR
// here and never reach the register bus.
module hermes_axil_regbus #(
  parameter int unsigned ADDR_W = 16
) (
  input  logic              clk_i,
  input  logic              rst_ni,

  input  logic [ADDR_W-1:0] s_awaddr_i,
  input  logic              s_awvalid_i,
  output logic              s_awready_o,
  input  logic [31:0]       s_wdata_i,
  input  logic [3:0]        s_wstrb_i,
  input  logic              s_wvalid_i,
  output logic              s_wready_o,
  output logic [1:0]        s_bresp_o,
  output logic              s_bvalid_o,
  input  logic              s_bready_i,
  input  logic [ADDR_W-1:0] s_araddr_i,
  input  logic              s_arvalid_i,
  output logic              s_arready_o,
  output logic [31:0]       s_rdata_o,
  output logic [1:0]        s_rresp_o,
  output logic              s_rvalid_o,
  input  logic              s_rready_i,

  output logic              req_o,
  output logic              we_o,
  output logic [ADDR_W-1:0] addr_o,
  output logic [31:0]       wdata_o,
  output logic [3:0]        wstrb_o,
  input  logic [31:0]       rdata_i,
  input  logic              err_i
);

  logic idle;
  logic take_read, take_write;
  logic bvalid_q, rvalid_q;
  logic [1:0] bresp_q, rresp_q;
  logic [31:0] rdata_q;
  logic misaligned;

  assign idle       = !bvalid_q && !rvalid_q;
  assign take_read  = idle && s_arvalid_i;
  assign take_write = idle && !s_arvalid_i && s_awvalid_i && s_wvalid_i;

  assign s_arready_o = take_read;
  assign s_awready_o = take_write;
  assign s_wready_o  = take_write;

  assign addr_o     = take_read ? s_araddr_i : s_awaddr_i;
  assign misaligned = addr_o[1:0] != 2'b00;
  assign req_o      = (take_read || take_write) && !misaligned;
  assign we_o       = take_write;
  assign wdata_o    = s_wdata_i;
  assign wstrb_o    = s_wstrb_i;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      bvalid_q <= 1'b0;
      rvalid_q <= 1'b0;
      bresp_q  <= hermes_pkg::AXI_RESP_OKAY;
      rresp_q  <= hermes_pkg::AXI_RESP_OKAY;
      rdata_q  <= '0;
    end else begin
      if (take_write) begin
        bvalid_q <= 1'b1;
        bresp_q  <= (misaligned || err_i) ? hermes_pkg::AXI_RESP_SLVERR
                                          : hermes_pkg::AXI_RESP_OKAY;
      end else if (s_bready_i) begin
        bvalid_q <= 1'b0;
      end
      if (take_read) begin
        rvalid_q <= 1'b1;
        rresp_q  <= (misaligned || err_i) ? hermes_pkg::AXI_RESP_SLVERR
                                          : hermes_pkg::AXI_RESP_OKAY;
        rdata_q  <= (misaligned || err_i) ? 32'h0 : rdata_i;
      end else if (s_rready_i) begin
        rvalid_q <= 1'b0;
      end
    end
  end

  assign s_bvalid_o = bvalid_q;
  assign s_bresp_o  = bresp_q;
  assign s_rvalid_o = rvalid_q;
  assign s_rresp_o  = rresp_q;
  assign s_rdata_o  = rdata_q;

endmodule
