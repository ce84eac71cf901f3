import streamlit as st

st.write("walkthrough")
