// SPDX-License-Identifier: MIT
// AXI4-Lite slave to a register bus (docs/RTL_INTERFACES.md).
//
// One access at a time: a read is taken when ARVALID is seen, a write when
// both AWVALID and WVALID are (the slave waits for both, as AXI allows).
// Reads win over writes when both arrive in the same cycle. A taken access
// is registered, and its address is on addr_o for a clock before req_o
// asks for it, so that a register block can decode the address into
// registers and act on registered state (the decode of a register window
// is several levels deep; docs/AREA.md). The answer is registered too: an
// access costs four clocks from the handshake to its response, and the
// next one is taken in the cycle after the response handshake.
// Misaligned addresses are answered SLVERR here and never reach the
// register bus.
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

  // addr_o, we_o, wdata_o and wstrb_o hold from the clock before req_o
  // through the clock of req_o, when rdata_i and err_i answer.
  output logic              req_o,
  output logic              we_o,
  output logic [ADDR_W-1:0] addr_o,
  output logic [31:0]       wdata_o,
  output logic [3:0]        wstrb_o,
  input  logic [31:0]       rdata_i,
  input  logic              err_i
);

  typedef enum logic [1:0] {
    StIdle,    // waiting for an access
    StAddr,    // the access's address on addr_o, no request yet
    StAccess,  // req_o: the register block answers this clock
    StResp     // the answer on the AXI response channel
  } state_e;

  state_e      state_q;
  logic        take_read, take_write;
  logic        we_q, misaligned_q;
  logic [ADDR_W-1:0] addr_q;
  logic [31:0] wdata_q, rdata_q;
  logic [3:0]  wstrb_q;
  logic [1:0]  resp_q;
  logic        resp_done;

  assign take_read  = state_q == StIdle && s_arvalid_i;
  assign take_write = state_q == StIdle && !s_arvalid_i && s_awvalid_i && s_wvalid_i;

  assign s_arready_o = take_read;
  assign s_awready_o = take_write;
  assign s_wready_o  = take_write;

  assign resp_done = we_q ? s_bready_i : s_rready_i;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q      <= StIdle;
      we_q         <= 1'b0;
      misaligned_q <= 1'b0;
      addr_q       <= '0;
      wdata_q      <= '0;
      wstrb_q      <= '0;
      resp_q       <= hermes_pkg::AXI_RESP_OKAY;
      rdata_q      <= '0;
    end else begin
      unique case (state_q)
        StIdle: if (take_read || take_write) begin
          state_q      <= StAddr;
          we_q         <= take_write;
          addr_q       <= take_read ? s_araddr_i : s_awaddr_i;
          misaligned_q <= (take_read ? s_araddr_i[1:0] : s_awaddr_i[1:0]) != 2'b00;
          wdata_q      <= s_wdata_i;
          wstrb_q      <= s_wstrb_i;
        end
        StAddr: state_q <= StAccess;
        StAccess: begin
          state_q <= StResp;
          resp_q  <= (misaligned_q || err_i) ? hermes_pkg::AXI_RESP_SLVERR
                                             : hermes_pkg::AXI_RESP_OKAY;
          rdata_q <= (misaligned_q || err_i || we_q) ? 32'h0 : rdata_i;
        end
        StResp: if (resp_done) state_q <= StIdle;
        default: state_q <= StIdle;
      endcase
    end
  end

  assign req_o   = state_q == StAccess && !misaligned_q;
  assign we_o    = we_q;
  assign addr_o  = addr_q;
  assign wdata_o = wdata_q;
  assign wstrb_o = wstrb_q;

  assign s_bvalid_o = state_q == StResp && we_q;
  assign s_bresp_o  = resp_q;
  assign s_rvalid_o = state_q == StResp && !we_q;
  assign s_rresp_o  = resp_q;
  assign s_rdata_o  = rdata_q;

endmodule
