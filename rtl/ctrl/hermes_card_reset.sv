// SPDX-License-Identifier: MIT
// Card reset (BAR0 EHRESET, docs/REGISTERS.md): returns everything behind
// BAR0 and BAR2 to its power-on state without a pin reset, so a card whose
// slots leaked (a killed process) is usable again without a reboot.
//
// Writing RESET_KEY with all byte lanes starts a sequence; any other write
// is refused (SLVERR) and changes nothing, so a stray write cannot reset
// the card. The sequence:
//   Quiesce: engines are aborted and DMA channels stopped; each drains what
//            it has in flight (outstanding host bursts, memory accesses), so
//            no AXI transaction is cut in half.
//   Reset:   the core reset (engines, command processors, slot allocator,
//            XDMA channels and IRQ block) is held for a few clocks. The AXI
//            bridges stay out of it: the access that asked for the reset and
//            any access in progress on either BAR complete normally.
//   Scrub:   every slot written since it was last zeroed is queued to the
//            slot scrubber (up to its high-water mark, not the whole slot);
//            the card is usable meanwhile, allocation waits for dirty slots.
// Reads: bit 0 busy (any phase), bit 1 scrubbing, bits 31:16 the number of
// resets accepted since the pin reset, which the host compares to learn that
// a reset happened under it.
module hermes_card_reset #(
  parameter int unsigned HOLD_CLOCKS = 4
) (
  input  logic        clk_i,
  input  logic        rst_ni,

  // Register bus, one access per clock (hermes_axil_regbus).
  input  logic        reg_req_i,
  input  logic        reg_we_i,
  input  logic [15:0] reg_addr_i,
  input  logic [31:0] reg_wdata_i,
  input  logic [3:0]  reg_wstrb_i,
  output logic        hit_o,
  output logic [31:0] rdata_o,
  output logic        err_o,

  // Quiesce: abort engines and stop DMA until both are idle.
  output logic        quiesce_o,
  input  logic        eng_busy_i,
  input  logic        dma_busy_i,
  // While set, the host may not write command or DMA registers.
  output logic        hold_o,
  // Core reset, active low (rst_ni included).
  output logic        core_rst_no,
  // Scrub: queue every dirty slot (one clock), then wait until idle.
  output logic        scrub_all_o,
  input  logic        scrub_busy_i
);

  typedef enum logic [1:0] {
    StIdle,
    StQuiesce,
    StReset,
    StScrub
  } state_e;

  localparam int unsigned HoldW = $clog2(HOLD_CLOCKS + 1);

  state_e           state_q;
  logic [HoldW-1:0] hold_cnt_q;
  logic [15:0]      count_q;
  logic             in_reset_q;

  logic key_ok, start;
  assign hit_o  = 32'(reg_addr_i) == hermes_pkg::EHRESET;
  assign key_ok = reg_wstrb_i == 4'hF && reg_wdata_i == hermes_pkg::RESET_KEY;
  assign start  = reg_req_i && hit_o && reg_we_i && key_ok;
  assign err_o  = reg_we_i && !key_ok;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q    <= StIdle;
      hold_cnt_q <= '0;
      count_q    <= '0;
      in_reset_q <= 1'b0;
    end else begin
      in_reset_q <= 1'b0;
      unique case (state_q)
        StIdle: begin
          if (start) begin
            state_q <= StQuiesce;
            count_q <= count_q + 1'b1;
          end
        end
        StQuiesce: begin
          if (!eng_busy_i && !dma_busy_i) begin
            state_q    <= StReset;
            hold_cnt_q <= HoldW'(HOLD_CLOCKS);
            in_reset_q <= 1'b1;
          end
        end
        StReset: begin
          if (hold_cnt_q == '0) begin
            state_q <= StScrub;
          end else begin
            hold_cnt_q <= hold_cnt_q - 1'b1;
            in_reset_q <= hold_cnt_q != HoldW'(1);
          end
        end
        StScrub: if (!scrub_busy_i) state_q <= StIdle;
        default: state_q <= StIdle;
      endcase
    end
  end

  assign quiesce_o   = state_q == StQuiesce;
  assign hold_o      = state_q == StQuiesce || state_q == StReset;
  // From a flop, so the core reset never glitches.
  assign core_rst_no = rst_ni && !in_reset_q;
  assign scrub_all_o = state_q == StReset && hold_cnt_q == HoldW'(HOLD_CLOCKS);

  assign rdata_o = {count_q, 14'h0, state_q == StScrub, state_q != StIdle};

endmodule
